import { Tensor } from '../tensor_core';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { gradArray } from '../buffer_pool';
import { normDim, splitAt } from '../shape';

/** Largest value overall, or along a dimension; the gradient goes to the first position holding it. */
export function max(a: Tensor, dim?: number, keepdim = false): Tensor {
  return extreme(a, dim, keepdim, 1, 'max');
}

/** Smallest value overall, or along a dimension. */
export function min(a: Tensor, dim?: number, keepdim = false): Tensor {
  return extreme(a, dim, keepdim, -1, 'min');
}

/** Index of the largest value (as float values), overall or along a dimension. Carries no gradient. */
export function argmax(a: Tensor, dim?: number, keepdim = false): Tensor {
  const { index, shape } = locate(a, dim, keepdim, 1, 'argmax');
  const out = new Float32Array(index.length);
  for (let i = 0; i < index.length; i++) out[i] = index[i];
  return new Tensor(out, shape);
}

function extreme(a: Tensor, dim: number | undefined, keepdim: boolean, sign: number, op: string): Tensor {
  const { index, positions, shape } = locate(a, dim, keepdim, sign, op);
  const out = new Float32Array(index.length);
  for (let i = 0; i < out.length; i++) out[i] = a.data[positions[i]];
  const r = new Tensor(out, shape);
  if (!needsGrad(a)) return r;
  return record(r, op, [a], (g) => {
    const ga = gradArray(a.data.length);
    for (let i = 0; i < g.length; i++) ga[positions[i]] += g[i];
    accumulateOwned(a, ga);
  });
}

function locate(a: Tensor, dim: number | undefined, keepdim: boolean, sign: number, op: string) {
  if (a.data.length === 0) throw new Error(`${op}: the tensor is empty`);
  const x = a.data;
  if (dim === undefined) {
    let best = 0;
    for (let i = 1; i < x.length; i++) if (sign * x[i] > sign * x[best] || (Number.isNaN(x[i]) && !Number.isNaN(x[best]))) best = i;
    return { index: new Int32Array([best]), positions: new Int32Array([best]), shape: keepdim ? a.shape.map(() => 1) : [] };
  }
  const d = normDim(op, dim, a.shape.length);
  const [outer, size, inner] = splitAt(a.shape, d);
  const index = new Int32Array(outer * inner);
  const positions = new Int32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let best = 0;
      let bestVal = x[base];
      for (let s = 1; s < size; s++) {
        const v = x[base + s * inner];
        if (sign * v > sign * bestVal || (Number.isNaN(v) && !Number.isNaN(bestVal))) {
          best = s;
          bestVal = v;
        }
      }
      index[o * inner + i] = best;
      positions[o * inner + i] = base + best * inner;
    }
  }
  const shape = a.shape.slice();
  if (keepdim) shape[d] = 1;
  else shape.splice(d, 1);
  return { index, positions, shape };
}
