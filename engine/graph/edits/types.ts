/**
 * The operations the visual editor performs on a document, as plain data: the webview sends one, the
 * extension applies it with `applyEdit` and writes the result as a WorkspaceEdit. Being data (not
 * closures) lets them cross the webview boundary and be validated there.
 */
import type { ArgValue } from '../catalogue';
import type { Edge, InitSpec, ModelDocument, ModelNode, TrainingSpec } from '../format';

/** Where a new node goes: right after a node (in its container), or into a container at an index (default: the end). */
export type Placement = { after: string } | { container: string; index?: number };

/** What copy puts on the clipboard: nodes with the edges among them, and the block definitions they use. */
export interface ClipboardPayload {
  kind: 'nnblocks.clipboard/1';
  nodes: ModelNode[];
  edges: Edge[];
  blocks: NonNullable<ModelDocument['blocks']>;
  /** Layers that copied tied nodes point at but that were not copied: pasted elsewhere they become owned copies. */
  originals: Record<string, ModelNode>;
}

export type EditOp =
  | { kind: 'addNode'; op: string; placement: Placement; args?: Record<string, ArgValue>; block?: string; ref?: string }
  | { kind: 'connect'; from: string; to: string; graph: string }
  | { kind: 'setOutput'; graph: string; node: string }
  | { kind: 'disconnect'; graph: string; edges: string[] }
  | { kind: 'delete'; ids: string[] }
  | { kind: 'group'; ids: string[] }
  | { kind: 'ungroup'; id: string }
  | { kind: 'reorder'; id: string; delta: number }
  | { kind: 'makeBlock'; id: string; name: string }
  | { kind: 'shareWeights'; id: string; ref: string }
  | { kind: 'untie'; id: string }
  | { kind: 'rename'; id: string; name: string }
  | { kind: 'setArgs'; id: string; args: Record<string, ArgValue | null> }
  | { kind: 'setInit'; id: string; param: string; init: InitSpec | null }
  | { kind: 'paste'; payload: ClipboardPayload; placement: Placement }
  | { kind: 'setInputShape'; shape: number[] }
  | { kind: 'setTraining'; training: TrainingSpec | null };

export type EditResult =
  | { ok: true; doc: ModelDocument; /** Ids worth selecting afterwards (the new node, the group...). */ select: string[] }
  | { ok: false; reason: string };

export const refuse = (reason: string): EditResult => ({ ok: false, reason });
export const done = (doc: ModelDocument, select: string[] = []): EditResult => ({ ok: true, doc, select });
