import { Tensor } from '../tensor_core';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { gradArray } from '../buffer_pool';
import { normDim, splitAt } from '../shape';

/** log(softmax(x)) computed as x - max - log(sum(exp(x - max))): stable for any logits. */
export function logSoftmax(a: Tensor, dim: number): Tensor {
  const d = normDim('logSoftmax', dim, a.shape.length);
  const [outer, size, inner] = splitAt(a.shape, d);
  const x = a.data;
  const out = new Float32Array(x.length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let m = -Infinity;
      for (let s = 0; s < size; s++) m = Math.max(m, x[base + s * inner]);
      let z = 0;
      for (let s = 0; s < size; s++) z += Math.exp(x[base + s * inner] - m);
      const lse = m + Math.log(z);
      for (let s = 0; s < size; s++) out[base + s * inner] = x[base + s * inner] - lse;
    }
  }
  const r = new Tensor(out, a.shape);
  if (!needsGrad(a)) return r;
  return record(r, 'logSoftmax', [a], (g) => {
    // dx = g - softmax * sum(g) along the dimension
    const ga = gradArray(x.length);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * size * inner + i;
        let total = 0;
        for (let s = 0; s < size; s++) total += g[base + s * inner];
        for (let s = 0; s < size; s++) {
          const k = base + s * inner;
          ga[k] = g[k] - Math.exp(out[k]) * total;
        }
      }
    }
    accumulateOwned(a, ga);
  });
}
