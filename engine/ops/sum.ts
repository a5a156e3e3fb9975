import { Tensor } from '../tensor_core';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { gradArray } from '../buffer_pool';
import { normDim, splitAt } from '../shape';

/** Sum of all values (a scalar), or along one or more dimensions. */
export function sum(a: Tensor, dim?: number | number[], keepdim = false): Tensor {
  if (dim === undefined) return sumAll(a);
  const dims = reductionDims('sum', a, dim);
  let r = a;
  for (const d of dims) r = sumDim(r, d);
  return keepdim ? r : dropDims(r, dims);
}

/** Mean of all values, or along one or more dimensions. */
export function mean(a: Tensor, dim?: number | number[], keepdim = false): Tensor {
  if (dim === undefined) {
    const s = sumAll(a);
    return scale(s, a.data.length === 0 ? NaN : 1 / a.data.length);
  }
  const dims = reductionDims('mean', a, dim);
  let count = 1;
  for (const d of dims) count *= a.shape[d];
  return scale(sum(a, dims, keepdim), 1 / count);
}

/** Distinct dimensions, highest first, so that reducing one never shifts the index of the next. */
export function reductionDims(op: string, a: Tensor, dim: number | number[]): number[] {
  const list = (Array.isArray(dim) ? dim : [dim]).map((d) => normDim(op, d, a.shape.length));
  return [...new Set(list)].sort((x, y) => y - x);
}

function sumAll(a: Tensor): Tensor {
  const x = a.data;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  const r = new Tensor(new Float32Array([s]), []);
  if (!needsGrad(a)) return r;
  return record(r, 'sum', [a], (g) => accumulateOwned(a, new Float32Array(x.length).fill(g[0])));
}

/** Sums along `dim`, keeping it with size 1. */
function sumDim(a: Tensor, dim: number): Tensor {
  const [outer, size, inner] = splitAt(a.shape, dim);
  const x = a.data;
  const out = new Float32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    const base = o * size * inner;
    const ob = o * inner;
    for (let s = 0; s < size; s++) {
      const row = base + s * inner;
      for (let i = 0; i < inner; i++) out[ob + i] += x[row + i];
    }
  }
  const shape = a.shape.slice();
  if (shape.length > 0) shape[dim] = 1;
  const r = new Tensor(out, shape);
  if (!needsGrad(a)) return r;
  return record(r, 'sum', [a], (g) => {
    const ga = gradArray(x.length);
    for (let o = 0; o < outer; o++) {
      const base = o * size * inner;
      const ob = o * inner;
      for (let s = 0; s < size; s++) {
        const row = base + s * inner;
        for (let i = 0; i < inner; i++) ga[row + i] = g[ob + i];
      }
    }
    accumulateOwned(a, ga);
  });
}

function scale(a: Tensor, factor: number): Tensor {
  const out = new Float32Array(a.data.length);
  for (let i = 0; i < out.length; i++) out[i] = a.data[i] * factor;
  const r = new Tensor(out, a.shape);
  if (!needsGrad(a)) return r;
  return record(r, 'mean', [a], (g) => {
    const ga = gradArray(g.length);
    for (let i = 0; i < g.length; i++) ga[i] = g[i] * factor;
    accumulateOwned(a, ga);
  });
}

/** Removes the given size-1 dimensions; a view, so the gradient passes straight through. */
function dropDims(a: Tensor, dims: number[]): Tensor {
  const drop = new Set(dims);
  const shape = a.shape.filter((_, i) => !drop.has(i));
  const r = new Tensor(a.data, shape);
  if (!needsGrad(a)) return r;
  return record(r, 'squeeze', [a], (g) => accumulateOwned(a, g.slice()));
}
