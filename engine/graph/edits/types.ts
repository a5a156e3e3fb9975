/**
 * The operations the visual editor performs on a document, as plain data: the webview sends one, the
 * extension applies it with `applyEdit` and writes the result as a WorkspaceEdit. Being data (not
 * closures) lets them cross the webview boundary and be validated there.
 */
import type { ModelDocument } from '../format';

// The operations' schemas are the protocol's (protocol/edits.ts): the one definition both sides of the
// webview boundary check against. Only their types come here (erased at run time), so the engine stays
// free of the protocol's code.
export type { ClipboardPayload, EditOp, Placement } from '../../../protocol/edits';

export type EditResult =
  | { ok: true; doc: ModelDocument; /** Ids worth selecting afterwards (the new node, the group...). */ select: string[] }
  | { ok: false; reason: string };

export const refuse = (reason: string): EditResult => ({ ok: false, reason });
export const done = (doc: ModelDocument, select: string[] = []): EditResult => ({ ok: true, doc, select });
