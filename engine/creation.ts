/** Ways to make tensors, named as in PyTorch. */
import { Tensor, type NestedArray } from './tensor';
import { defaultGenerator, type Generator } from './random';
import { formatShape, sizeOf } from './shape';

export interface CreateOptions {
  requiresGrad?: boolean;
}

/**
 * A tensor from nested arrays (`tensor([[1, 2], [3, 4]])`), a flat list or typed array with a shape,
 * or a single number (a 0-d tensor). Ragged nesting is an error that says where it went wrong.
 */
export function tensor(values: NestedArray | ArrayLike<number>, shape?: readonly number[], options: CreateOptions = {}): Tensor {
  let data: Float32Array;
  let inferred: number[];
  if (typeof values === 'number') {
    data = new Float32Array([values]);
    inferred = [];
  } else if (Array.isArray(values)) {
    inferred = nestedShape(values);
    data = new Float32Array(sizeOf(inferred));
    let k = 0;
    const fill = (v: NestedArray) => {
      if (typeof v === 'number') data[k++] = v;
      else for (const x of v) fill(x);
    };
    fill(values as NestedArray);
  } else {
    data = Float32Array.from(values as ArrayLike<number>);
    inferred = [data.length];
  }
  const finalShape = shape ? shape.slice() : inferred;
  if (sizeOf(finalShape) !== data.length) {
    throw new Error(`tensor: ${data.length} values cannot take shape ${formatShape(finalShape)}`);
  }
  return new Tensor(data, finalShape, options.requiresGrad ?? false);
}

function nestedShape(values: NestedArray[]): number[] {
  const shape: number[] = [values.length];
  let level: NestedArray = values;
  while (Array.isArray(level) && level.length > 0 && Array.isArray(level[0])) {
    level = level[0];
    shape.push((level as NestedArray[]).length);
  }
  const check = (v: NestedArray, depth: number, path: string) => {
    if (depth === shape.length) {
      if (typeof v !== 'number') throw new Error(`tensor: expected a number at ${path}, found a nested list`);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new Error(`tensor: ragged nested list at ${path}: expected ${shape[depth]} entries, found ${Array.isArray(v) ? v.length : 'a number'}`);
    }
    v.forEach((x, i) => check(x, depth + 1, `${path}[${i}]`));
  };
  check(values, 0, 'values');
  return shape;
}

function shapeArgs(shape: readonly number[]): number[] {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new Error(`invalid shape ${formatShape(shape)}: dimensions must be non-negative integers`);
  }
  return shape.slice();
}

export function zeros(shape: readonly number[], options: CreateOptions = {}): Tensor {
  const s = shapeArgs(shape);
  return new Tensor(new Float32Array(sizeOf(s)), s, options.requiresGrad ?? false);
}

export function ones(shape: readonly number[], options: CreateOptions = {}): Tensor {
  return full(shape, 1, options);
}

export function full(shape: readonly number[], value: number, options: CreateOptions = {}): Tensor {
  const s = shapeArgs(shape);
  return new Tensor(new Float32Array(sizeOf(s)).fill(value), s, options.requiresGrad ?? false);
}

export function zerosLike(t: Tensor): Tensor {
  return zeros(t.shape);
}

export function onesLike(t: Tensor): Tensor {
  return ones(t.shape);
}

/** Uniform samples in [0, 1). */
export function rand(shape: readonly number[], options: CreateOptions & { generator?: Generator } = {}): Tensor {
  const t = zeros(shape, options);
  const g = options.generator ?? defaultGenerator;
  for (let i = 0; i < t.data.length; i++) t.data[i] = g.random();
  return t;
}

/** Standard normal samples. */
export function randn(shape: readonly number[], options: CreateOptions & { generator?: Generator } = {}): Tensor {
  const t = zeros(shape, options);
  const g = options.generator ?? defaultGenerator;
  for (let i = 0; i < t.data.length; i++) t.data[i] = g.normal();
  return t;
}

/** Integers in [low, high). */
export function randint(low: number, high: number, shape: readonly number[], generator: Generator = defaultGenerator): Tensor {
  const t = zeros(shape);
  for (let i = 0; i < t.data.length; i++) t.data[i] = low + generator.int(high - low);
  return t;
}

/** Values start, start+step, ... below end; `arange(n)` is 0..n-1. */
export function arange(start: number, end?: number, step = 1): Tensor {
  const [s, e] = end === undefined ? [0, start] : [start, end];
  if (step === 0) throw new Error('arange: step must not be zero');
  const n = Math.max(0, Math.ceil((e - s) / step));
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = s + i * step;
  return new Tensor(data, [n]);
}

/** `steps` evenly spaced values from start to end inclusive. */
export function linspace(start: number, end: number, steps: number): Tensor {
  if (!Number.isInteger(steps) || steps < 0) throw new Error(`linspace: steps must be a non-negative integer, got ${steps}`);
  const data = new Float32Array(steps);
  const delta = steps > 1 ? (end - start) / (steps - 1) : 0;
  for (let i = 0; i < steps; i++) data[i] = start + i * delta;
  return new Tensor(data, [steps]);
}

/** The n×n identity matrix. */
export function eye(n: number): Tensor {
  const t = zeros([n, n]);
  for (let i = 0; i < n; i++) t.data[i * n + i] = 1;
  return t;
}
