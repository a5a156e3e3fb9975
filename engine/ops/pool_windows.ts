/**
 * What the pooling ops share once their windows are known: the average over per-position rectangles
 * (avg_pool2d's clipped windows and adaptive_avg_pool2d's adaptive ones, each with its own divisor),
 * and max pooling's backward, which sends each output's gradient to the input it took.
 */
import { Tensor } from '../tensor_core';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { gradArray } from '../buffer_pool';
import { maxPoolBackwardInto } from '../kernels/image';

/** Rows [hLo[oh], hHi[oh]) and columns [wLo[ow], wHi[ow]) of every output position, and what each sum is divided by. */
export interface AverageWindows {
  hLo: Int32Array;
  hHi: Int32Array;
  wLo: Int32Array;
  wHi: Int32Array;
  /** outH * outW divisors, row-major. */
  divisor: Float32Array;
}

/** The mean of each window of x [N, C, H, W], with its backward. */
export function averageOverWindows(op: string, x: Tensor, windows: AverageWindows): Tensor {
  const [n, c, h, w] = x.shape;
  const { hLo, hHi, wLo, wHi, divisor } = windows;
  const outH = hLo.length;
  const outW = wLo.length;
  const planes = n * c;
  const xd = x.data;
  const out = new Float32Array(planes * outH * outW);
  for (let p = 0, q = 0; p < planes; p++) {
    const base = p * h * w;
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++, q++) {
        let s = 0;
        for (let ih = hLo[oh]; ih < hHi[oh]; ih++) {
          const row = base + ih * w;
          for (let iw = wLo[ow]; iw < wHi[ow]; iw++) s += xd[row + iw];
        }
        out[q] = s / divisor[oh * outW + ow];
      }
    }
  }
  const r = new Tensor(out, [n, c, outH, outW]);
  if (!needsGrad(x)) return r;
  return record(r, op, [x], (g) => {
    const gx = gradArray(xd.length);
    for (let p = 0, q = 0; p < planes; p++) {
      const base = p * h * w;
      for (let oh = 0; oh < outH; oh++) {
        for (let ow = 0; ow < outW; ow++, q++) {
          const v = g[q] / divisor[oh * outW + ow];
          for (let ih = hLo[oh]; ih < hHi[oh]; ih++) {
            const row = base + ih * w;
            for (let iw = wLo[ow]; iw < wHi[ow]; iw++) gx[row + iw] += v;
          }
        }
      }
    }
    accumulateOwned(x, gx);
  });
}

/** Max pooling's result `out` of x, with the backward that routes each gradient to argmax[q] (an index into x). */
export function maxPoolResult(op: string, x: Tensor, out: Float32Array, shape: number[], argmax: Int32Array): Tensor {
  const r = new Tensor(out, shape);
  if (!needsGrad(x)) return r;
  return record(r, op, [x], (g) => {
    const gx = gradArray(x.data.length);
    if (!maxPoolBackwardInto(g, argmax, gx)) for (let q = 0; q < g.length; q++) gx[argmax[q]] += g[q];
    accumulateOwned(x, gx);
  });
}
