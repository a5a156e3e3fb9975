import { Tensor } from '../tensor';
import { accumulateOwned, needsGrad, record } from '../autograd';

export function tanh(a: Tensor): Tensor {
  const x = a.data;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.tanh(x[i]);
  const r = new Tensor(out, a.shape);
  if (!needsGrad(a)) return r;
  return record(r, 'tanh', [a], (g) => {
    const ga = new Float32Array(g.length);
    for (let i = 0; i < g.length; i++) {
      const y = out[i];
      ga[i] = g[i] * (1 - y * y);
    }
    accumulateOwned(a, ga);
  });
}
