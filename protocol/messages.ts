/**
 * Everything the webview may send to the host, in one schema: the editor's messages and the training
 * panel's. The host's router (extension/editor/router.ts) parses each message with `parseWebviewMessage`
 * and switches on its type; what does not parse is answered and logged, never dropped silently.
 */
import { z } from 'zod';
import { EditorMessageSchema, type HostMessage } from './editor';
import { PanelToHostSchema, type HostToPanel } from './training';

export type WebviewMessage = z.infer<typeof EditorMessageSchema> | z.infer<typeof PanelToHostSchema>;
/** Everything the host may send to the webview. */
export type HostToWebview = HostMessage | HostToPanel;

export type Parsed = { ok: true; message: WebviewMessage } | { ok: false; problem: string };

const typeOf = (m: unknown): unknown => (typeof m === 'object' && m !== null ? (m as { type?: unknown }).type : undefined);
export const isTrainingType = (type: unknown): boolean => typeof type === 'string' && type.startsWith('training/');

/** The issues of a failed parse, as one line naming each field: "op.ids.1: Expected string, received number". */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length > 0 ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ');
}

export function parseWebviewMessage(m: unknown): Parsed {
  const type = typeOf(m);
  if (typeof type !== 'string') return { ok: false, problem: `not a message (no "type"): ${preview(m)}` };
  const r = isTrainingType(type) ? PanelToHostSchema.safeParse(m) : EditorMessageSchema.safeParse(m);
  return r.success ? { ok: true, message: r.data } : { ok: false, problem: `malformed "${type}" message: ${describeIssues(r.error)}` };
}

export const isWebviewMessage = (m: unknown): m is WebviewMessage => parseWebviewMessage(m).ok;

/** At most 200 characters of a value, for a log line. */
export function preview(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}
