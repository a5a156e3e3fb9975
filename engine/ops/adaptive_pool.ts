import { Tensor } from '../tensor_core';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { gradArray } from '../buffer_pool';
import { expectRank, pair, type Pair } from './window';

/** PyTorch's adaptive windows: output i covers [floor(i*in/out), ceil((i+1)*in/out)). */
function bounds(input: number, output: number): [Int32Array, Int32Array] {
  const lo = new Int32Array(output);
  const hi = new Int32Array(output);
  for (let i = 0; i < output; i++) {
    lo[i] = Math.floor((i * input) / output);
    hi[i] = Math.ceil(((i + 1) * input) / output);
  }
  return [lo, hi];
}

function sizes(op: string, x: Tensor, outputSize: Pair | readonly [number | null, number | null]): [number, number, number, number, number, number] {
  const [n, c, h, w] = expectRank(op, x, 4, '[N, C, H, W]');
  // null keeps the input's size along that dimension, as in PyTorch.
  const spec = typeof outputSize === 'number' ? [outputSize, outputSize] : [outputSize[0] ?? h, outputSize[1] ?? w];
  const [oh, ow] = pair(op, 'outputSize', spec as [number, number], 1);
  return [n, c, h, w, oh, ow];
}

/** PyTorch's F.adaptive_avg_pool2d: any output size; [1, 1] is global average pooling. */
export function adaptiveAvgPool2d(x: Tensor, outputSize: Pair | readonly [number | null, number | null]): Tensor {
  const op = 'adaptiveAvgPool2d';
  const [n, c, h, w, outH, outW] = sizes(op, x, outputSize);
  const [hLo, hHi] = bounds(h, outH);
  const [wLo, wHi] = bounds(w, outW);
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
        out[q] = s / ((hHi[oh] - hLo[oh]) * (wHi[ow] - wLo[ow]));
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
          const v = g[q] / ((hHi[oh] - hLo[oh]) * (wHi[ow] - wLo[ow]));
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

/** PyTorch's F.adaptive_max_pool2d (the first maximum of each window, NaN winning, as PyTorch). */
export function adaptiveMaxPool2d(x: Tensor, outputSize: Pair | readonly [number | null, number | null]): Tensor {
  const op = 'adaptiveMaxPool2d';
  const [n, c, h, w, outH, outW] = sizes(op, x, outputSize);
  const [hLo, hHi] = bounds(h, outH);
  const [wLo, wHi] = bounds(w, outW);
  const planes = n * c;
  const xd = x.data;
  const out = new Float32Array(planes * outH * outW);
  const argmax = new Int32Array(out.length);
  for (let p = 0, q = 0; p < planes; p++) {
    const base = p * h * w;
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++, q++) {
        let best = -Infinity;
        let at = -1;
        for (let ih = hLo[oh]; ih < hHi[oh]; ih++) {
          const row = base + ih * w;
          for (let iw = wLo[ow]; iw < wHi[ow]; iw++) {
            const v = xd[row + iw];
            if (at < 0 || v > best || v !== v) {
              best = v;
              at = row + iw;
            }
          }
        }
        out[q] = best;
        argmax[q] = at;
      }
    }
  }
  const r = new Tensor(out, [n, c, outH, outW]);
  if (!needsGrad(x)) return r;
  return record(r, op, [x], (g) => {
    const gx = gradArray(xd.length);
    for (let q = 0; q < g.length; q++) gx[argmax[q]] += g[q];
    accumulateOwned(x, gx);
  });
}
