import { Tensor } from '../tensor_core';
import { averageOverWindows, maxPoolResult } from './pool_windows';
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
  const [, , h, w, outH, outW] = sizes(op, x, outputSize);
  const [hLo, hHi] = bounds(h, outH);
  const [wLo, wHi] = bounds(w, outW);
  // Every window's own area is its divisor.
  const divisor = new Float32Array(outH * outW);
  for (let oh = 0; oh < outH; oh++) for (let ow = 0; ow < outW; ow++) divisor[oh * outW + ow] = (hHi[oh] - hLo[oh]) * (wHi[ow] - wLo[ow]);
  return averageOverWindows(op, x, { hLo, hHi, wLo, wHi, divisor });
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
  return maxPoolResult(op, x, out, [n, c, outH, outW], argmax);
}
