import { Tensor } from '../tensor_core';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { gradArray } from '../buffer_pool';

/** Clamps into [min, max]; either bound may be null. The gradient passes where the value was not clamped. */
export function clamp(a: Tensor, min: number | null, max: number | null): Tensor {
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  const x = a.data;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = v < lo ? lo : v > hi ? hi : v;
  }
  const r = new Tensor(out, a.shape);
  if (!needsGrad(a)) return r;
  return record(r, 'clamp', [a], (g) => {
    const ga = gradArray(g.length);
    for (let i = 0; i < g.length; i++) ga[i] = x[i] >= lo && x[i] <= hi ? g[i] : 0;
    accumulateOwned(a, ga);
  });
}
