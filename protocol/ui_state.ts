/**
 * The editor's state that is not the model: collapsed groups, dragged positions, the viewport, the scope
 * shown (the model or a block definition), the side tab, the selection. It never dirties the file: the
 * webview keeps it in its saved state (instant when the editor is shown again) and sends it to the host,
 * which keeps it per document in workspaceState, so a window reload or a new editor of the same file
 * finds it too. One schema for both: what the host hands back is parsed like what the webview saved.
 */
import { z } from 'zod';

export const SIDE_TABS = ['inspector', 'training'] as const;
export type SideTab = (typeof SIDE_TABS)[number];

const point = z.object({ x: z.number(), y: z.number(), w: z.number().optional(), h: z.number().optional() });

export const UiStateSchema = z.object({
  collapsed: z.array(z.string()).catch([]),
  /** User-dragged positions (relative to the parent group), by scope ('' model key ':model', or a block name) then node id. */
  positions: z.record(z.record(point)).catch({}),
  viewport: z.object({ x: z.number(), y: z.number(), zoom: z.number() }).nullable().catch(null),
  /** '' for the model, otherwise a block name. */
  scope: z.string().catch(''),
  sideTab: z.enum(SIDE_TABS).catch('inspector'),
  selected: z.array(z.string()).catch([]),
});
export type UiState = z.infer<typeof UiStateSchema>;

export const EMPTY_UI_STATE: UiState = { collapsed: [], positions: {}, viewport: null, scope: '', sideTab: 'inspector', selected: [] };

/** A saved state read back (from the webview's getState or the host's workspaceState): each field kept when valid, else its default. */
export function readUiState(saved: unknown): UiState | null {
  if (typeof saved !== 'object' || saved === null) return null;
  const r = UiStateSchema.safeParse(saved);
  return r.success ? r.data : null;
}
