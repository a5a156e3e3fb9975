/**
 * The layer catalogue: every layer and merge the engine has, as data. The editor's palette and inspector,
 * the analysis, the model builder and both code generators all read this one table.
 */
export type Dim = number | 'N';
/** A tensor shape with the batch dimension kept symbolic ('N'). */
export type Shape = Dim[];

import type { ArgValue } from './format';
export type { ArgValue };

export interface ArgSpec {
  name: string;
  type: 'int' | 'number' | 'bool' | 'enum';
  default?: ArgValue;
  /** Required args have no default. */
  required?: boolean;
  min?: number;
  max?: number;
  options?: string[];
  doc: string;
  /** The keyword in PyTorch (in_features) when it differs from the TypeScript name (inFeatures). */
  torchName: string;
}

export type Category = 'linear' | 'activation' | 'shape' | 'regularization' | 'merge';

export interface LayerSpec {
  op: string;
  category: Category;
  doc: string;
  args: ArgSpec[];
  /** Merges take several inputs; layers exactly one. */
  merge: boolean;
  /** Parameter names and shapes, in registration order (the state-dict order). */
  params(args: Record<string, ArgValue>): [string, number[]][];
  /** The output shape, or a message saying why the inputs do not fit. */
  shape(inputs: Shape[], args: Record<string, ArgValue>): Shape | string;
  /** `shape` in words, for the palette's tooltip and the inspector ('[N, *, inFeatures] → [N, *, outFeatures]'). */
  shapeRule?: string;
  /** How the layer is written in each target: the torch.nn class (or torch function for merges) ... */
  torch: string;
  /** ... the engine class in generated TypeScript (`nn.Linear`; merges are Tensor methods or `cat`) ... */
  ts?: string;
  /** ... and the ONNX operator(s) the exporter emits. */
  onnx?: string;
}

const fmt = (s: Shape) => `[${s.join(', ')}]`;

function arg(name: string, type: ArgSpec['type'], doc: string, extra: Partial<ArgSpec> & { torchName?: string } = {}): ArgSpec {
  return { name, type, doc, torchName: extra.torchName ?? name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), ...extra };
}

const same = (inputs: Shape[]): Shape => inputs[0];

function activation(op: string, doc: string, args: ArgSpec[] = []): LayerSpec {
  return { op, category: 'activation', doc, args, merge: false, params: () => [], shape: same, torch: `nn.${op}` };
}

function normDim(dim: number, rank: number): number | null {
  const d = dim < 0 ? dim + rank : dim;
  return d >= 0 && d < rank ? d : null;
}

function elementwise(op: string, doc: string): LayerSpec {
  return {
    op,
    category: 'merge',
    doc,
    args: [],
    merge: true,
    params: () => [],
    torch: op,
    shape(inputs) {
      if (inputs.length < 2) return `${op} needs at least two inputs, got ${inputs.length}`;
      // Broadcasting as in PyTorch, dimension by dimension from the right.
      const rank = Math.max(...inputs.map((s) => s.length));
      const out: Dim[] = [];
      for (let i = 1; i <= rank; i++) {
        let d: Dim = 1;
        for (const s of inputs) {
          const v = s.length - i >= 0 ? s[s.length - i] : 1;
          if (v === 1) continue;
          if (d === 1) d = v;
          else if (d !== v) return `${op}: shapes ${inputs.map(fmt).join(' and ')} do not match (dimension ${-i} is ${d} vs ${v})`;
        }
        out.unshift(d);
      }
      return out;
    },
  };
}

export const LAYERS: LayerSpec[] = [
  {
    op: 'Linear',
    category: 'linear',
    doc: 'Fully connected layer y = x·Wᵀ + b, weight [out, in].',
    args: [
      arg('inFeatures', 'int', 'size of each input sample', { required: true, min: 1 }),
      arg('outFeatures', 'int', 'size of each output sample', { required: true, min: 1 }),
      arg('bias', 'bool', 'learn an additive bias', { default: true }),
    ],
    merge: false,
    params: (a) => {
      const p: [string, number[]][] = [['weight', [a.outFeatures as number, a.inFeatures as number]]];
      if (a.bias !== false) p.push(['bias', [a.outFeatures as number]]);
      return p;
    },
    shape([x], a) {
      if (x.length < 2) return `Linear needs at least [N, features] input, got ${fmt(x)}`;
      const last = x[x.length - 1];
      if (last !== a.inFeatures) return `expects ${a.inFeatures} input features but receives ${last} (input shape ${fmt(x)})`;
      return [...x.slice(0, -1), a.outFeatures as number];
    },
    torch: 'nn.Linear',
  },
  activation('ReLU', 'Rectified linear unit: max(0, x).'),
  activation('LeakyReLU', 'max(0, x) + negativeSlope·min(0, x).', [arg('negativeSlope', 'number', 'slope for negative inputs', { default: 0.01, min: 0 })]),
  activation('Tanh', 'Hyperbolic tangent.'),
  activation('Sigmoid', 'Logistic sigmoid 1 / (1 + e^-x).'),
  activation('GELU', 'Gaussian error linear unit (exact, erf-based).'),
  {
    ...activation('Softmax', 'Normalises a dimension into probabilities.', [arg('dim', 'int', 'dimension to normalise', { default: 1 })]),
    shape: ([x], a) => (normDim(a.dim as number, x.length) === null ? `dim ${a.dim} is out of range for input ${fmt(x)}` : x),
  },
  {
    ...activation('LogSoftmax', 'log(softmax(x)), computed stably; pair with NLLLoss.', [arg('dim', 'int', 'dimension to normalise', { default: 1 })]),
    shape: ([x], a) => (normDim(a.dim as number, x.length) === null ? `dim ${a.dim} is out of range for input ${fmt(x)}` : x),
  },
  activation('Step', 'Binary threshold: 1 where x >= 0, else 0 (passes no gradient; not in torch.nn).'),
  {
    op: 'Flatten',
    category: 'shape',
    doc: 'Flattens dimensions startDim..endDim into one (by default everything but the batch).',
    args: [arg('startDim', 'int', 'first dimension to flatten', { default: 1 }), arg('endDim', 'int', 'last dimension to flatten', { default: -1 })],
    merge: false,
    params: () => [],
    shape([x], a) {
      const s = normDim(a.startDim as number, x.length);
      const e = normDim(a.endDim as number, x.length);
      if (s === null || e === null || s > e) return `cannot flatten dimensions ${a.startDim}..${a.endDim} of ${fmt(x)}`;
      const span = x.slice(s, e + 1);
      const size: Dim = span.includes('N') ? 'N' : span.reduce<number>((p, d) => p * (d as number), 1);
      return [...x.slice(0, s), size, ...x.slice(e + 1)];
    },
    torch: 'nn.Flatten',
  },
  { op: 'Identity', category: 'shape', doc: 'Passes its input through unchanged.', args: [], merge: false, params: () => [], shape: same, torch: 'nn.Identity' },
  {
    op: 'Dropout',
    category: 'regularization',
    doc: 'Zeroes inputs with probability p while training (scaling the rest by 1/(1-p)); identity in eval mode.',
    args: [arg('p', 'number', 'probability of an element to be zeroed', { default: 0.5, min: 0, max: 1 })],
    merge: false,
    params: () => [],
    shape: same,
    torch: 'nn.Dropout',
  },
  elementwise('add', 'Elementwise sum of its inputs (x1 + x2).'),
  elementwise('sub', 'First input minus the second (x1 - x2).'),
  elementwise('mul', 'Elementwise product of its inputs.'),
  {
    op: 'concat',
    category: 'merge',
    doc: 'Concatenates its inputs along a dimension (torch.cat).',
    args: [arg('dim', 'int', 'dimension to concatenate along', { default: 1 })],
    merge: true,
    params: () => [],
    torch: 'torch.cat',
    shape(inputs, a) {
      if (inputs.length < 2) return `concat needs at least two inputs, got ${inputs.length}`;
      const rank = inputs[0].length;
      const d = normDim(a.dim as number, rank);
      if (d === null) return `dim ${a.dim} is out of range for ${fmt(inputs[0])}`;
      if (inputs.some((s) => s.length !== rank || s.some((v, i) => i !== d && v !== inputs[0][i]))) {
        return `concat along dim ${a.dim}: shapes ${inputs.map(fmt).join(', ')} differ in another dimension`;
      }
      const out = inputs[0].slice();
      out[d] = inputs.some((s) => s[d] === 'N') ? 'N' : inputs.reduce((sum, s) => sum + (s[d] as number), 0);
      return out;
    },
  },
];

const ONNX: Record<string, string> = {
  Linear: 'Gemm (rank-2 input) or MatMul + Add',
  ReLU: 'Relu',
  LeakyReLU: 'LeakyRelu',
  Tanh: 'Tanh',
  Sigmoid: 'Sigmoid',
  GELU: 'Erf-based: 0.5·x·(1 + Erf(x/√2))',
  Softmax: 'Softmax',
  LogSoftmax: 'LogSoftmax',
  Step: 'GreaterOrEqual + Cast',
  Flatten: 'Reshape',
  Identity: 'Identity',
  Dropout: 'Identity (exported in eval mode)',
  add: 'Add',
  sub: 'Sub',
  mul: 'Mul',
  concat: 'Concat',
};
const SAME = 'any shape → the same shape';
const SHAPE_RULES: Record<string, string> = {
  Linear: '[N, *, inFeatures] → [N, *, outFeatures]',
  ReLU: SAME,
  LeakyReLU: SAME,
  Tanh: SAME,
  Sigmoid: SAME,
  GELU: SAME,
  Softmax: `${SAME} (dim must exist)`,
  LogSoftmax: `${SAME} (dim must exist)`,
  Step: SAME,
  Flatten: '[N, d1, …, dk] → dimensions startDim..endDim multiplied into one ([N, 1, 28, 28] → [N, 784])',
  Identity: SAME,
  Dropout: SAME,
  add: 'shapes that broadcast (as in PyTorch) → their broadcast shape',
  sub: 'shapes that broadcast (as in PyTorch) → their broadcast shape',
  mul: 'shapes that broadcast (as in PyTorch) → their broadcast shape',
  concat: 'shapes equal but along dim → that dimension summed ([N, 4] and [N, 3] → [N, 7])',
};
for (const l of LAYERS) {
  l.ts ??= l.merge ? (l.op === 'concat' ? 'cat' : `Tensor.${l.op}`) : `nn.${l.op}`;
  l.onnx ??= ONNX[l.op];
  l.shapeRule ??= SHAPE_RULES[l.op];
}

/**
 * The structural node kinds, for the editor's palette ('containers' and 'blocks' groups) and the docs;
 * they are not layers, so they have no shape rule of their own.
 */
export const STRUCTURAL: { op: 'Sequential' | 'Graph' | 'Block' | 'Shared'; category: 'container' | 'block'; doc: string }[] = [
  { op: 'Sequential', category: 'container', doc: 'An ordered chain of layers (nn.Sequential); children may be named, and nest to any depth.' },
  { op: 'Graph', category: 'container', doc: 'A Module with a custom forward: named inputs, layers wired by edges, merges, one output.' },
  { op: 'Block', category: 'block', doc: 'An instance of a reusable block definition; every instance has its own weights.' },
  { op: 'Shared', category: 'block', doc: 'The very same layer instance as another node: tied weights, one parameter set used twice.' },
];

const byOp = new Map(LAYERS.map((l) => [l.op, l]));

export function layerSpec(op: string): LayerSpec | undefined {
  return byOp.get(op);
}

/** Edits (insert, delete, substitute) turning a into b, ignoring case: how far a typo is from a layer name. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let row = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const next = [i];
    for (let j = 1; j <= y.length; j++) next.push(Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1)));
    row = next;
  }
  return row[y.length];
}

/**
 * What to tell someone who wrote an op the catalogue does not have: the nearest names when it looks like
 * a typo ("did you mean Linear?"), otherwise everything there is to choose from.
 */
export function closestOps(op: string): string {
  const all = [...LAYERS.map((l) => l.op), ...STRUCTURAL.map((s) => s.op)];
  const scored = all.map((name) => ({ name, d: distance(op, name) })).filter((c) => c.d <= Math.max(1, Math.floor(c.name.length / 3)));
  const best = Math.min(...scored.map((c) => c.d));
  const near = scored.filter((c) => c.d === best).map((c) => c.name);
  return near.length > 0 ? `did you mean ${near.join(' or ')}?` : `the layers are ${LAYERS.map((l) => l.op).join(', ')}; containers ${STRUCTURAL.map((s) => s.op).join(', ')}`;
}

/** The args with defaults filled in. */
export function resolvedArgs(spec: LayerSpec, args: Record<string, ArgValue> | undefined): Record<string, ArgValue> {
  const out: Record<string, ArgValue> = {};
  for (const a of spec.args) {
    const v = args?.[a.name];
    if (v !== undefined) out[a.name] = v;
    else if (a.default !== undefined) out[a.name] = a.default;
  }
  return out;
}

/** Problems with a node's args: unknown names, missing required ones, wrong types, out of range. */
export function checkArgs(spec: LayerSpec, args: Record<string, ArgValue> | undefined): string[] {
  const problems: string[] = [];
  const known = new Set(spec.args.map((a) => a.name));
  for (const k of Object.keys(args ?? {})) {
    if (!known.has(k)) problems.push(`${spec.op} has no argument "${k}"${spec.args.length ? ` (arguments: ${spec.args.map((a) => a.name).join(', ')})` : ''}`);
  }
  for (const a of spec.args) {
    const v = args?.[a.name];
    if (v === undefined) {
      if (a.required) problems.push(`${spec.op} needs the argument "${a.name}" (${a.doc})`);
      continue;
    }
    if (a.type === 'bool' && typeof v !== 'boolean') problems.push(`argument "${a.name}" must be true or false, got ${JSON.stringify(v)}`);
    if ((a.type === 'int' || a.type === 'number') && typeof v !== 'number') problems.push(`argument "${a.name}" must be a number, got ${JSON.stringify(v)}`);
    if (a.type === 'int' && typeof v === 'number' && !Number.isInteger(v)) problems.push(`argument "${a.name}" must be an integer, got ${v}`);
    if (typeof v === 'number' && a.min !== undefined && v < a.min) problems.push(`argument "${a.name}" must be >= ${a.min}, got ${v}`);
    if (typeof v === 'number' && a.max !== undefined && v > a.max) problems.push(`argument "${a.name}" must be <= ${a.max}, got ${v}`);
    if (a.type === 'enum' && !a.options?.includes(String(v))) problems.push(`argument "${a.name}" must be one of ${a.options?.join(', ')}, got ${JSON.stringify(v)}`);
  }
  return problems;
}
