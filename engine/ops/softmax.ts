import { Tensor } from '../tensor_core';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { gradArray } from '../buffer_pool';
import { normDim, splitAt } from '../shape';

/**
 * softmax or its log along `dim`, one loop structure for both: each line along the dimension is shifted
 * by its maximum so large logits do not overflow; the log form is x - max - log(sum(exp(x - max))),
 * stable for any logits, never the log of a softmax that may have underflowed to 0.
 */
function softmaxAlong(op: 'softmax' | 'logSoftmax', a: Tensor, dim: number): Tensor {
  const log = op === 'logSoftmax';
  const d = normDim(op, dim, a.shape.length);
  const [outer, size, inner] = splitAt(a.shape, d);
  const x = a.data;
  const out = new Float32Array(x.length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let m = -Infinity;
      for (let s = 0; s < size; s++) m = Math.max(m, x[base + s * inner]);
      let z = 0;
      for (let s = 0; s < size; s++) {
        const e = Math.exp(x[base + s * inner] - m);
        if (!log) out[base + s * inner] = e;
        z += e;
      }
      const lse = m + Math.log(z);
      for (let s = 0; s < size; s++) {
        const k = base + s * inner;
        out[k] = log ? x[k] - lse : out[k] / z;
      }
    }
  }
  const r = new Tensor(out, a.shape);
  if (!needsGrad(a)) return r;
  return record(r, op, [a], (g) => {
    // softmax: dx = y * (g - sum(g * y)); log-softmax: dx = g - softmax * sum(g); both along the dimension
    const ga = gradArray(x.length);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * size * inner + i;
        let total = 0;
        for (let s = 0; s < size; s++) total += log ? g[base + s * inner] : g[base + s * inner] * out[base + s * inner];
        for (let s = 0; s < size; s++) {
          const k = base + s * inner;
          ga[k] = log ? g[k] - Math.exp(out[k]) * total : out[k] * (g[k] - total);
        }
      }
    }
    accumulateOwned(a, ga);
  });
}

/** softmax along `dim`, shifted by the maximum so large logits do not overflow. */
export const softmax = (a: Tensor, dim: number): Tensor => softmaxAlong('softmax', a, dim);

/** log(softmax(x)) computed as x - max - log(sum(exp(x - max))): stable for any logits. */
export const logSoftmax = (a: Tensor, dim: number): Tensor => softmaxAlong('logSoftmax', a, dim);
