import { Tensor } from '../tensor';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { gradArray } from '../buffer_pool';

export function leakyRelu(a: Tensor, negativeSlope = 0.01): Tensor {
  const x = a.data;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = v > 0 ? v : v * negativeSlope;
  }
  const r = new Tensor(out, a.shape);
  if (!needsGrad(a)) return r;
  return record(r, 'leakyRelu', [a], (g) => {
    const ga = gradArray(g.length);
    for (let i = 0; i < g.length; i++) {
      const v = x[i];
      const y = out[i];
      ga[i] = v > 0 ? g[i] : g[i] * negativeSlope;
    }
    accumulateOwned(a, ga);
  });
}
