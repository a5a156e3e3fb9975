/**
 * The layer catalogue: every layer and merge the engine has, as data, and the one table every consumer
 * reads: the editor's palette and inspector, the analysis, buildModel, both code generators, the ONNX
 * exporter and documentFromModule. Each family of layers is one file under ./layers; adding a layer is
 * adding its entry there (see CONTRIBUTING.md, "Adding a layer").
 */
import { ACTIVATIONS } from './layers/activations';
import { CONVOLUTIONS } from './layers/conv';
import { LINEAR } from './layers/linear';
import { MERGES } from './layers/merge';
import { NORMALIZATION } from './layers/norm';
import { POOLING } from './layers/pool';
import { REGULARIZATION } from './layers/regularization';
import { SHAPE_LAYERS } from './layers/shape';
import type { ArgSpec, ArgValue, CatalogueEntry, Category } from './layers/types';
import { quoted, quotedValue } from '../quote';

export type { ArgSpec, ArgValue, Args, CatalogueEntry, Category, Dim, LayerSpec, MergeSpec, OnnxAttr, OnnxContext, Shape } from './layers/types';

/** The palette's groups of layers, in the order it shows them, with their titles. */
export const CATEGORIES: { id: Category; title: string }[] = [
  { id: 'linear', title: 'Linear' },
  { id: 'convolution', title: 'Convolution' },
  { id: 'pooling', title: 'Pooling' },
  { id: 'normalization', title: 'Normalization' },
  { id: 'activation', title: 'Activations' },
  { id: 'shape', title: 'Shape' },
  { id: 'regularization', title: 'Regularization' },
  { id: 'merge', title: 'Merge' },
];

export const LAYERS: CatalogueEntry[] = [
  ...LINEAR,
  ...CONVOLUTIONS,
  ...POOLING,
  ...NORMALIZATION,
  ...ACTIVATIONS,
  ...SHAPE_LAYERS,
  ...REGULARIZATION,
  ...MERGES,
];

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

export function layerSpec(op: string): CatalogueEntry | undefined {
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
  // No layer name is longer than this: a longer op is no typo, and the distance over it would take seconds.
  if (op.length > 40) return `the layers are ${LAYERS.map((l) => l.op).join(', ')}; containers ${STRUCTURAL.map((s) => s.op).join(', ')}`;
  const all = [...LAYERS.map((l) => l.op), ...STRUCTURAL.map((s) => s.op)];
  const scored = all.map((name) => ({ name, d: distance(op, name) })).filter((c) => c.d <= Math.max(1, Math.floor(c.name.length / 3)));
  const best = Math.min(...scored.map((c) => c.d));
  const near = scored.filter((c) => c.d === best).map((c) => c.name);
  return near.length > 0
    ? `did you mean ${near.join(' or ')}?`
    : `the layers are ${LAYERS.map((l) => l.op).join(', ')}; containers ${STRUCTURAL.map((s) => s.op).join(', ')}`;
}

/** The args with defaults filled in. */
export function resolvedArgs(spec: CatalogueEntry, args: Record<string, ArgValue> | undefined): Record<string, ArgValue> {
  const out: Record<string, ArgValue> = {};
  for (const a of spec.args) {
    const v = args?.[a.name];
    if (v !== undefined) out[a.name] = v;
    else if (a.default !== undefined) out[a.name] = a.default;
  }
  return out;
}

/** What is wrong with one value of an argument, or null. */
function valueProblem(a: ArgSpec, v: ArgValue): string | null {
  const name = `argument "${a.name}"`;
  const range = (n: number, what = name): string | null => {
    if (a.min !== undefined && n < a.min) return `${what} must be >= ${a.min}, got ${n}`;
    if (a.max !== undefined && n > a.max) return `${what} must be <= ${a.max}, got ${n}`;
    return null;
  };
  const ints = (list: number[], what: string): string | null => {
    for (const n of list) {
      if (typeof n !== 'number' || !Number.isInteger(n)) return `${what} must hold integers, got ${quotedValue(list)}`;
      const r = range(n, `every entry of ${name}`);
      if (r !== null) return r;
    }
    return null;
  };
  switch (a.type) {
    case 'bool':
      return typeof v === 'boolean' ? null : `${name} must be true or false, got ${quotedValue(v)}`;
    case 'enum':
      return a.options?.includes(String(v)) ? null : `${name} must be one of ${a.options?.join(', ')}, got ${quotedValue(v)}`;
    case 'int':
    case 'number':
      if (typeof v !== 'number') return `${name} must be a number, got ${quotedValue(v)}`;
      if (a.type === 'int' && !Number.isInteger(v)) return `${name} must be an integer, got ${v}`;
      return range(v);
    case 'size': {
      const arity = a.arity ?? 2;
      const forms = `an integer${arity > 1 ? ` or a list of ${arity} integers` : ''}${a.keywords ? `, or ${a.keywords.map((k) => `'${k}'`).join(' or ')}` : ''}`;
      if (typeof v === 'string') return a.keywords?.includes(v) ? null : `${name} must be ${forms}, got ${quotedValue(v)}`;
      if (typeof v === 'number') return Number.isInteger(v) ? range(v) : `${name} must be ${forms}, got ${v}`;
      if (!Array.isArray(v) || v.length !== arity || arity === 1) return `${name} must be ${forms}, got ${quotedValue(v)}`;
      return ints(v, name);
    }
    case 'ints':
      if (typeof v === 'number') return Number.isInteger(v) ? range(v) : `${name} must be an integer or a list of integers, got ${v}`;
      if (!Array.isArray(v) || v.length === 0) return `${name} must be an integer or a list of integers, got ${quotedValue(v)}`;
      return ints(v, name);
  }
}

/** Problems with a node's args: unknown names, missing required ones, wrong types, out of range. */
export function checkArgs(spec: CatalogueEntry, args: Record<string, ArgValue> | undefined): string[] {
  const problems: string[] = [];
  const known = new Set(spec.args.map((a) => a.name));
  for (const k of Object.keys(args ?? {})) {
    if (!known.has(k))
      problems.push(`${spec.op} has no argument ${quoted(k)}${spec.args.length ? ` (arguments: ${spec.args.map((a) => a.name).join(', ')})` : ''}`);
  }
  for (const a of spec.args) {
    const v = args?.[a.name];
    if (v === undefined) {
      if (a.required) problems.push(`${spec.op} needs the argument "${a.name}" (${a.doc})`);
      continue;
    }
    const p = valueProblem(a, v);
    if (p !== null) problems.push(p);
  }
  return problems;
}
