/**
 * The visual editor's operations on a document, as zod schemas: the one definition of what an edit is.
 * The webview applies an operation optimistically, sends it, and the host parses it with EditOpSchema
 * before `applyEdit` runs it on the TextDocument, so a kind that is not listed here cannot be sent, and
 * a kind listed here that `applyEdit` does not handle fails the compile (its switch is exhaustive over
 * EditOp). Values are checked with the document's own schemas (nodes, inits, training), so what passes
 * here is what a document may hold; whether it fits the document (ids that exist, shapes) is the edit's.
 */
import { z } from 'zod';
import { ArgValueSchema, BlockDefinitionSchema, EdgeSchema, InitSchema, NodeSchema, TrainingSchema } from '../engine/graph/format';

const id = z.string();
const ids = z.array(z.string());

/** Where a new node goes: right after a node (in its container), or into a container at an index (default: the end). */
export const PlacementSchema = z.union([z.object({ after: id }).strict(), z.object({ container: id, index: z.number().int().optional() }).strict()]);
export type Placement = z.infer<typeof PlacementSchema>;

/** What copy puts on the clipboard: nodes with the edges among them, and the block definitions they use. */
export const ClipboardPayloadSchema = z.object({
  kind: z.literal('nnblocks.clipboard/1'),
  nodes: z.array(NodeSchema),
  edges: z.array(EdgeSchema),
  blocks: z.record(BlockDefinitionSchema),
  /** Layers that copied tied nodes point at but that were not copied: pasted elsewhere they become owned copies. */
  originals: z.record(NodeSchema),
});
export type ClipboardPayload = z.infer<typeof ClipboardPayloadSchema>;

const op = <K extends string, S extends z.ZodRawShape>(kind: K, shape: S) => z.object({ kind: z.literal(kind), ...shape }).strict();

export const EditOpSchema = z.discriminatedUnion('kind', [
  op('addNode', {
    op: z.string(),
    placement: PlacementSchema,
    args: z.record(ArgValueSchema).optional(),
    block: z.string().optional(),
    ref: z.string().optional(),
  }),
  op('connect', { from: id, to: id, graph: id }),
  op('setOutput', { graph: id, node: id }),
  op('disconnect', { graph: id, edges: ids }),
  op('delete', { ids }),
  op('group', { ids }),
  op('ungroup', { id }),
  op('reorder', { id, delta: z.number().int() }),
  op('makeBlock', { id, name: z.string() }),
  op('shareWeights', { id, ref: id }),
  op('untie', { id }),
  op('rename', { id, name: z.string() }),
  op('setArgs', { id, args: z.record(ArgValueSchema.nullable()) }),
  op('setInit', { id, param: z.string(), init: InitSchema.nullable() }),
  op('paste', { payload: ClipboardPayloadSchema, placement: PlacementSchema }),
  op('setInputShape', { shape: z.array(z.number().int()) }),
  op('setTraining', { training: TrainingSchema.nullable() }),
]);
export type EditOp = z.infer<typeof EditOpSchema>;
