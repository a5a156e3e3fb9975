import { Tensor } from '../tensor_core';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { gradArray } from '../buffer_pool';
import { erf } from './erf';

const INV_SQRT2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** GELU(x) = x * Phi(x), PyTorch's default (exact, erf-based) form. */
export function gelu(a: Tensor): Tensor {
  const x = a.data;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = 0.5 * v * (1 + erf(v * INV_SQRT2));
  }
  const r = new Tensor(out, a.shape);
  if (!needsGrad(a)) return r;
  return record(r, 'gelu', [a], (g) => {
    const ga = gradArray(g.length);
    for (let i = 0; i < g.length; i++) {
      const v = x[i];
      const cdf = 0.5 * (1 + erf(v * INV_SQRT2));
      const pdf = INV_SQRT_2PI * Math.exp(-0.5 * v * v);
      ga[i] = g[i] * (cdf + v * pdf);
    }
    accumulateOwned(a, ga);
  });
}
