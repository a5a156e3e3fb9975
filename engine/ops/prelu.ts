import { Tensor } from '../tensor_core';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { gradArray } from '../buffer_pool';
import { formatShape, sizeOf } from '../shape';

/** PyTorch's F.prelu: x where x > 0, weight[c] * x otherwise, with one weight or one per channel (dim 1). */
export function prelu(x: Tensor, weight: Tensor): Tensor {
  const k = weight.data.length;
  const channels = x.shape.length >= 2 ? x.shape[1] : 1;
  if (weight.shape.length !== 1 || (k !== 1 && k !== channels)) {
    throw new Error(
      `prelu: weight of shape ${formatShape(weight.shape)} must hold 1 value or one per channel (${channels} for input ${formatShape(x.shape)})`,
    );
  }
  const inner = k === 1 ? x.data.length : sizeOf(x.shape.slice(2));
  const c = k === 1 ? 1 : channels;
  const xd = x.data;
  const wd = weight.data;
  const out = new Float32Array(xd.length);
  for (let p = 0; p < xd.length;) {
    for (let ch = 0; ch < c; ch++) {
      const a = wd[ch];
      for (let i = 0; i < inner; i++, p++) {
        const v = xd[p];
        out[p] = v > 0 ? v : a * v;
      }
    }
  }
  const r = new Tensor(out, x.shape);
  if (!needsGrad(x, weight)) return r;
  return record(r, 'prelu', [x, weight], (g) => {
    const gx = x.requiresGrad ? gradArray(xd.length) : null;
    const gw = weight.requiresGrad ? new Float64Array(c) : null;
    for (let p = 0; p < xd.length;) {
      for (let ch = 0; ch < c; ch++) {
        const a = wd[ch];
        let s = 0;
        for (let i = 0; i < inner; i++, p++) {
          const v = xd[p];
          if (v > 0) {
            if (gx !== null) gx[p] = g[p];
          } else {
            if (gx !== null) gx[p] = a * g[p];
            s += v * g[p];
          }
        }
        if (gw !== null) gw[ch] += s;
      }
    }
    if (gx !== null) accumulateOwned(x, gx);
    if (gw !== null) accumulateOwned(weight, Float32Array.from(gw));
  });
}
