import { Tensor } from '../tensor';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { gradArray } from '../buffer_pool';

export function exp(a: Tensor): Tensor {
  const x = a.data;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = Math.exp(v);
  }
  const r = new Tensor(out, a.shape);
  if (!needsGrad(a)) return r;
  return record(r, 'exp', [a], (g) => {
    const ga = gradArray(g.length);
    for (let i = 0; i < g.length; i++) {
      const v = x[i];
      const y = out[i];
      ga[i] = g[i] * y;
    }
    accumulateOwned(a, ga);
  });
}
