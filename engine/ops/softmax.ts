import { Tensor } from '../tensor_core';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { gradArray } from '../buffer_pool';
import { normDim, splitAt } from '../shape';

/** softmax along `dim`, shifted by the maximum so large logits do not overflow. */
export function softmax(a: Tensor, dim: number): Tensor {
  const d = normDim('softmax', dim, a.shape.length);
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
        out[base + s * inner] = e;
        z += e;
      }
      for (let s = 0; s < size; s++) out[base + s * inner] /= z;
    }
  }
  const r = new Tensor(out, a.shape);
  if (!needsGrad(a)) return r;
  return record(r, 'softmax', [a], (g) => {
    // dx = y * (g - sum(g * y)) along the dimension
    const ga = gradArray(x.length);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * size * inner + i;
        let dot = 0;
        for (let s = 0; s < size; s++) dot += g[base + s * inner] * out[base + s * inner];
        for (let s = 0; s < size; s++) {
          const k = base + s * inner;
          ga[k] = out[k] * (g[k] - dot);
        }
      }
    }
    accumulateOwned(a, ga);
  });
}
