/**
 * The small vocabulary the layer families are written in: argument specs, reading int-or-tuple values,
 * shape helpers, ONNX attributes, and `layer()`, which fills what most entries share (no parameters,
 * the engine class named as the op, torch.nn's class of the same name).
 */
import type { ArgSpec, ArgValue, Args, LayerSpec, OnnxAttr, OnnxContext, Shape } from './types';

export const fmt = (s: Shape) => `[${s.join(', ')}]`;
export const SAME = 'any shape → the same shape';

export function arg(name: string, type: ArgSpec['type'], doc: string, extra: Partial<ArgSpec> = {}): ArgSpec {
  return { name, type, doc, ...extra, torchName: extra.torchName ?? name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) };
}

/** A number argument (checkArgs has made sure it is one). */
export const num = (v: ArgValue | undefined): number => (typeof v === 'number' ? v : Number.NaN);

/** An int-or-tuple argument as `n` ints (PyTorch's _pair): 3 → [3, 3]; a tuple as it is. */
export function tuple(v: ArgValue | undefined, n: number): number[] {
  if (Array.isArray(v)) return v;
  return Array.from({ length: n }, () => num(v));
}

/** Dimension `dim` of a rank-`rank` tensor counted from the front (negative counts from the back), or null. */
export function normDim(dim: number, rank: number): number | null {
  const d = dim < 0 ? dim + rank : dim;
  return d >= 0 && d < rank ? d : null;
}

/** A window or a size as people write it: 3x3, 3x5, 7. */
export const dims = (v: ArgValue | undefined, n: number): string => tuple(v, n).join('x');

/** Whether two argument values are the same (tuples element by element). */
export function sameValue(x: ArgValue | undefined, y: ArgValue | undefined): boolean {
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => v === y[i]);
  return x === y;
}

export const attr = {
  int: (name: string, value: number): OnnxAttr => ({ name, kind: 'int', value }),
  float: (name: string, value: number): OnnxAttr => ({ name, kind: 'float', value }),
  ints: (name: string, value: number[]): OnnxAttr => ({ name, kind: 'ints', value }),
  string: (name: string, value: string): OnnxAttr => ({ name, kind: 'string', value }),
};

/** The initializer of a tensor the layer always has (its weight): a missing one is a bug in the module. */
export function tensorOf(ctx: OnnxContext, key: string): string {
  const t = ctx.tensor(key);
  if (t === null) throw new Error(`${ctx.name}: the module has no tensor "${key}" to export`);
  return t;
}

/** A layer whose input and output shapes are the same and which has no parameters. */
export const keepShape = (inputs: Shape[]): Shape => inputs[0];

type LayerDef = Omit<LayerSpec, 'merge' | 'params' | 'buffers' | 'engineClass' | 'torchClass' | 'keepsShape' | 'args'> &
  Partial<Pick<LayerSpec, 'params' | 'buffers' | 'engineClass' | 'torchClass' | 'keepsShape' | 'args'>>;

export function layer(def: LayerDef): LayerSpec {
  return {
    merge: false,
    args: [],
    params: () => [],
    buffers: () => [],
    engineClass: def.op,
    torchClass: `nn.${def.op}`,
    keepsShape: false,
    ...def,
  };
}

/** An elementwise activation: same shape, no parameters, one ONNX emitter. */
export function activation(op: string, doc: string, onnxOps: string, onnx: LayerSpec['onnx'], args: ArgSpec[] = []): LayerSpec {
  return layer({ op, category: 'activation', doc, args, shape: keepShape, shapeRule: SAME, keepsShape: true, onnxOps, onnx });
}

/**
 * The values of a constructor call, as the engine, the generated TypeScript and PyTorch take them:
 * positional args in order, then the options (keyword) args. With `terse`, what generated code writes:
 * options equal to their default are left out, and trailing positional args equal to their default too.
 */
export function constructorArgs(
  spec: LayerSpec,
  a: Args,
  terse: boolean,
): { positional: { spec: ArgSpec; value: ArgValue }[]; options: { spec: ArgSpec; value: ArgValue }[] } {
  const omit = (s: ArgSpec) => a[s.name] === undefined || (terse && !s.required && !s.always && sameValue(a[s.name], s.default));
  const positional = spec.args.filter((s) => !s.option);
  let last = positional.length;
  while (last > 0 && omit(positional[last - 1])) last--;
  return {
    positional: positional.slice(0, last).map((s) => ({ spec: s, value: a[s.name] ?? s.default ?? 0 })),
    options: spec.args.filter((s) => s.option && !omit(s)).map((s) => ({ spec: s, value: a[s.name] as ArgValue })),
  };
}
