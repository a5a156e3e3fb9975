/**
 * The `*.nnb.json` model document, format "nnblocks.model/1": the single source of truth that the editor
 * edits, the engine builds, and the generators turn into code. Types and the zod schema live together so
 * they cannot drift. The file stores only what the user decided: no shapes, no counts, nothing derived.
 *
 * A model is a tree of nodes. Containers:
 *   - `Sequential`: children applied in order (PyTorch's nn.Sequential); a child's `name` is its key
 *     ('block 0' as with add_module), otherwise its position ('0', '1', ...).
 *   - `Graph`: a Module with a custom forward: named inputs, nodes wired by edges, merges, outputs.
 * Leaves: a layer (`op` from the catalogue), `Block` (an instance of a reusable definition with its own
 * weights), `Shared` (the same layer instance as node `ref`: tied weights), and merges (add/mul/sub/concat).
 */
import { z } from 'zod';
import { layerSpec } from './catalogue';
import { documentErrorMap } from './schema_messages';
import { TrainingSchema } from './training';

export const FORMAT = 'nnblocks.model/1';

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The key of a name-indexed object (args, init, blocks). JSON.parse makes "__proto__" an ordinary key, but
 * copying it into a fresh object sets that object's prototype instead: the entry would vanish and every
 * look-up would see through it. So it is refused by name.
 */
const ownKey = z.string().refine((k) => k !== '__proto__', { message: 'the name "__proto__" is reserved by JavaScript: choose another' });

export const InitSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('default') }).strict(),
  z.object({ kind: z.literal('zeros') }).strict(),
  z.object({ kind: z.literal('ones') }).strict(),
  z.object({ kind: z.literal('constant'), value: z.number() }).strict(),
  z.object({ kind: z.literal('normal'), mean: z.number().optional(), std: z.number().positive() }).strict(),
  z.object({ kind: z.literal('uniform'), low: z.number(), high: z.number() }).strict(),
  z.object({ kind: z.literal('xavierUniform'), gain: z.number().positive().optional() }).strict(),
  z.object({ kind: z.literal('xavierNormal'), gain: z.number().positive().optional() }).strict(),
  z.object({ kind: z.literal('kaimingUniform'), nonlinearity: z.enum(['relu', 'leaky_relu', 'tanh', 'linear', 'sigmoid']).optional() }).strict(),
  z.object({ kind: z.literal('kaimingNormal'), nonlinearity: z.enum(['relu', 'leaky_relu', 'tanh', 'linear', 'sigmoid']).optional() }).strict(),
]);
export type InitSpec = z.infer<typeof InitSchema>;

/** A layer argument: a number, a flag, a name, or a list of numbers (an int-or-pair argument, a shape). */
export const ArgValueSchema = z.union([z.number(), z.boolean(), z.string(), z.array(z.number())]);

const nodeBase = {
  id: z.string().min(1, 'a node id must not be empty'),
  /** The child's key in its parent (state-dict path component); Sequential children default to their index. */
  name: z.string().min(1).optional(),
  /** Editor-only hints (position on the canvas, collapsed): not model semantics. */
  ui: z.object({ x: z.number().optional(), y: z.number().optional(), collapsed: z.boolean().optional() }).strict().optional(),
};

export interface LayerNode {
  id: string;
  name?: string;
  ui?: NodeUi;
  op: string;
  args?: Record<string, ArgValue>;
  init?: Record<string, InitSpec>;
  // A layer holds nothing and points at nothing: these make a structural node no layer to TypeScript,
  // so the guards in ./nodes narrow (the JSON is the same).
  children?: never;
  nodes?: never;
  block?: never;
  ref?: never;
}
/** An argument's value: a number, flag or name, or a list of numbers (a [h, w] pair, a shape). */
export type ArgValue = number | boolean | string | number[];
export interface SequentialNode {
  id: string;
  name?: string;
  ui?: NodeUi;
  op: 'Sequential';
  children: ModelNode[];
}
export interface GraphNode {
  id: string;
  name?: string;
  ui?: NodeUi;
  op: 'Graph';
  /** The class name in generated code (default: from the document or block name). */
  className?: string;
  inputs: string[];
  nodes: ModelNode[];
  edges: Edge[];
  outputs: string[];
}
export interface BlockNode {
  id: string;
  name?: string;
  ui?: NodeUi;
  op: 'Block';
  block: string;
}
export interface SharedNode {
  id: string;
  name?: string;
  ui?: NodeUi;
  op: 'Shared';
  ref: string;
}
export interface NodeUi {
  x?: number;
  y?: number;
  collapsed?: boolean;
}
export interface Edge {
  id: string;
  from: string;
  to: string;
  /** Input slot of the target, for merges whose operand order matters (sub, concat). */
  port?: number;
}
export type ModelNode = LayerNode | SequentialNode | GraphNode | BlockNode | SharedNode;

export const EdgeSchema: z.ZodType<Edge> = z
  .object({ id: z.string().min(1), from: z.string().min(1), to: z.string().min(1), port: z.number().int().nonnegative().optional() })
  .strict();

const SequentialSchema = z.lazy(() => z.object({ ...nodeBase, op: z.literal('Sequential'), children: z.array(NodeSchema) }).strict());
const GraphSchema = z.lazy(() =>
  z
    .object({
      ...nodeBase,
      op: z.literal('Graph'),
      className: z.string().regex(identifier, 'a class name must be an identifier').optional(),
      inputs: z.array(z.string().min(1)).min(1, 'a Graph needs at least one input'),
      nodes: z.array(NodeSchema),
      edges: z.array(EdgeSchema),
      outputs: z.array(z.string().min(1)).min(1, 'a Graph needs at least one output'),
    })
    .strict(),
);
const BlockNodeSchema = z.object({ ...nodeBase, op: z.literal('Block'), block: z.string().min(1) }).strict();
const SharedNodeSchema = z.object({ ...nodeBase, op: z.literal('Shared'), ref: z.string().min(1) }).strict();
const LayerSchema = z
  .object({
    ...nodeBase,
    op: z.string().min(1),
    args: z.record(ownKey, ArgValueSchema).optional(),
    init: z.record(ownKey, InitSchema).optional(),
  })
  .strict();

/** The keys only a container has, and the container they belong to. */
const CONTAINER_KEYS: readonly (readonly [string, 'Sequential' | 'Graph' | 'Block' | 'Shared'])[] = [
  ['children', 'Sequential'],
  ['nodes', 'Graph'],
  ['edges', 'Graph'],
  ['inputs', 'Graph'],
  ['outputs', 'Graph'],
  ['className', 'Graph'],
  ['block', 'Block'],
  ['ref', 'Shared'],
];
function containerOf(node: object): string | undefined {
  return CONTAINER_KEYS.find(([key]) => key in node)?.[1];
}

/**
 * Nodes are told apart by `op`, so errors speak about the node the user wrote (a union would only say
 * "invalid input"). Unknown layer types are left to the analysis, which knows the catalogue.
 */
export const NodeSchema: z.ZodType<ModelNode, z.ZodTypeDef, unknown> = z.lazy(() =>
  z.unknown().transform((value, ctx): ModelNode => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'expected a node object like { "id": ..., "op": ... }' });
      return z.NEVER;
    }
    const op = (value as { op?: unknown }).op;
    if (typeof op !== 'string') {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: 'every node needs an "op" (a layer type, "Sequential", "Graph", "Block" or "Shared")',
        path: ['op'],
      });
      return z.NEVER;
    }
    const container =
      op === 'Sequential' || op === 'Graph' || op === 'Block' || op === 'Shared' || layerSpec(op) !== undefined ? undefined : containerOf(value);
    if (container !== undefined) {
      // A mistyped container op would otherwise read as a layer with "Unrecognized key(s)": its keys say what it meant.
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `unknown op ${JSON.stringify(op.length > 40 ? `${op.slice(0, 40)}...` : op)}; did you mean ${container}?`,
        path: ['op'],
      });
      return z.NEVER;
    }
    const schema: z.ZodType<ModelNode, z.ZodTypeDef, unknown> =
      op === 'Sequential'
        ? SequentialSchema
        : op === 'Graph'
          ? GraphSchema
          : op === 'Block'
            ? BlockNodeSchema
            : op === 'Shared'
              ? SharedNodeSchema
              : LayerSchema;
    // The inner parse does not inherit the caller's error map: pass it on, so node errors read the same.
    const r = schema.safeParse(value, { errorMap: documentErrorMap });
    if (!r.success) {
      for (const issue of r.error.issues) ctx.addIssue(issue as z.IssueData);
      return z.NEVER;
    }
    return r.data;
  }),
);

export const BlockDefinitionSchema = z
  .object({
    description: z.string().optional(),
    /** The function name in generated code (block1 → `function block1()`). */
    body: NodeSchema,
  })
  .strict();
export type BlockDefinition = z.infer<typeof BlockDefinitionSchema>;

// The training section's grammar lives in ./training.ts, built from the optimizer, schedule, loss and
// data-source tables it shares with the engine, the generated PyTorch script and the training form.
export { TrainingSchema, DataSpecSchema, type TrainingSpec } from './training';

export const DocumentSchema = z
  .object({
    format: z.literal(FORMAT, {
      errorMap: (_issue, ctx) => ({
        message:
          typeof ctx.data === 'string' && /^nnblocks\.model\/\d+$/.test(ctx.data)
            ? `expected "format": "${FORMAT}": this file is "${ctx.data}", a version of the format this NN Blocks does not read`
            : `expected "format": "${FORMAT}"`,
      }),
    }),
    name: z.string().regex(identifier, 'the model name must be an identifier (letters, digits, _; not starting with a digit)'),
    description: z.string().optional(),
    input: z.object({ shape: z.array(z.number().int().positive()).min(1, 'the input shape needs at least one dimension') }).strict(),
    model: NodeSchema,
    blocks: z.record(ownKey, BlockDefinitionSchema).optional(),
    training: TrainingSchema.optional(),
  })
  .strict();

export type ModelDocument = z.infer<typeof DocumentSchema>;

/**
 * The block definition named `name`, or undefined: an own entry only, so a Block node naming "constructor"
 * or "toString" finds nothing instead of Object.prototype's function. Every look-up by a user's block
 * name goes through here.
 */
export function blockDefinition(doc: Pick<ModelDocument, 'blocks'>, name: string): BlockDefinition | undefined {
  const blocks = doc.blocks;
  return blocks !== undefined && Object.prototype.hasOwnProperty.call(blocks, name) ? blocks[name] : undefined;
}
