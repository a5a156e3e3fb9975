/**
 * Editor state that is not the model: which groups are collapsed, where the user dragged nodes, the
 * viewport, which scope (model or a block definition) is shown, the side panel tab. Kept in the webview's
 * saved state, so it survives hiding the editor and reloading the window, and never dirties the file.
 */
import { loadState, saveState } from './vscode';

export type SideTab = 'inspector' | 'training';

export interface UiState {
  collapsed: string[];
  /** User-dragged positions (relative to the parent group), by scope then node id. */
  positions: Record<string, Record<string, { x: number; y: number; w?: number; h?: number }>>;
  viewport: { x: number; y: number; zoom: number } | null;
  /** '' for the model, otherwise a block name. */
  scope: string;
  sideTab: SideTab;
  selected: string[];
}

const EMPTY: UiState = { collapsed: [], positions: {}, viewport: null, scope: '', sideTab: 'inspector', selected: [] };

export function initialUiState(): UiState {
  const saved = loadState();
  if (typeof saved !== 'object' || saved === null) return EMPTY;
  const s = saved as Partial<UiState>;
  return {
    collapsed: Array.isArray(s.collapsed) ? s.collapsed.filter((x) => typeof x === 'string') : [],
    positions: typeof s.positions === 'object' && s.positions !== null ? s.positions : {},
    viewport: s.viewport ?? null,
    scope: typeof s.scope === 'string' ? s.scope : '',
    sideTab: s.sideTab === 'training' ? 'training' : 'inspector',
    selected: Array.isArray(s.selected) ? s.selected.filter((x) => typeof x === 'string') : [],
  };
}

export const persistUiState = (s: UiState) => saveState(s);
