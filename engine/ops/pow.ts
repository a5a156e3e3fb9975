import { Tensor } from '../tensor_core';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { gradArray } from '../buffer_pool';

export function pow(a: Tensor, exponent: number): Tensor {
  const x = a.data;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = Math.pow(v, exponent);
  }
  const r = new Tensor(out, a.shape);
  if (!needsGrad(a)) return r;
  return record(r, 'pow', [a], (g) => {
    const ga = gradArray(g.length);
    for (let i = 0; i < g.length; i++) {
      const v = x[i];
      ga[i] = exponent === 0 ? 0 : g[i] * exponent * Math.pow(v, exponent - 1);
    }
    accumulateOwned(a, ga);
  });
}
