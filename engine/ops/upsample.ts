import { Tensor } from '../tensor_core';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { gradArray } from '../buffer_pool';
import { expectRank, pair, type Pair } from './window';

export type UpsampleMode = 'nearest' | 'bilinear';

export interface UpsampleOptions {
  size?: Pair;
  scaleFactor?: number | readonly [number, number];
  mode?: UpsampleMode;
  alignCorners?: boolean;
}

/** One source coordinate per output index, with its two neighbours and weights (nearest: one, weight 1). */
interface Taps {
  lo: Int32Array;
  hi: Int32Array;
  wHi: Float32Array;
}

/** PyTorch's per-dimension scale: 1/scaleFactor when one is given, else in/out. */
function scaleOf(input: number, output: number, factor: number | undefined): number {
  return factor !== undefined ? 1 / factor : input / output;
}

function taps(mode: UpsampleMode, input: number, output: number, factor: number | undefined, alignCorners: boolean): Taps {
  const lo = new Int32Array(output);
  const hi = new Int32Array(output);
  const wHi = new Float32Array(output);
  if (mode === 'nearest') {
    const s = Math.fround(scaleOf(input, output, factor));
    for (let o = 0; o < output; o++) lo[o] = hi[o] = Math.min(Math.floor(Math.fround(o * s)), input - 1);
    return { lo, hi, wHi };
  }
  const s = alignCorners ? (output > 1 ? (input - 1) / (output - 1) : 0) : scaleOf(input, output, factor);
  for (let o = 0; o < output; o++) {
    const src = alignCorners ? s * o : Math.max(s * (o + 0.5) - 0.5, 0);
    const i0 = Math.min(Math.floor(src), input - 1);
    lo[o] = i0;
    hi[o] = i0 < input - 1 ? i0 + 1 : i0;
    wHi[o] = src - i0;
  }
  return { lo, hi, wHi };
}

/**
 * PyTorch's F.interpolate / nn.Upsample on [N, C, H, W], 'nearest' or 'bilinear' (alignCorners as in
 * PyTorch), to a given size or by a scale factor (output = floor(input * factor)).
 */
export function upsample(x: Tensor, options: UpsampleOptions): Tensor {
  const op = 'upsample';
  const [n, c, h, w] = expectRank(op, x, 4, '[N, C, H, W]');
  const mode = options.mode ?? 'nearest';
  if (mode !== 'nearest' && mode !== 'bilinear') throw new Error(`${op}: mode must be 'nearest' or 'bilinear', got '${String(mode)}'`);
  if ((options.size === undefined) === (options.scaleFactor === undefined)) {
    throw new Error(`${op}: give exactly one of size and scaleFactor`);
  }
  if (mode === 'nearest' && options.alignCorners !== undefined) throw new Error(`${op}: alignCorners applies to 'bilinear' only`);
  let outH: number, outW: number, fh: number | undefined, fw: number | undefined;
  if (options.size !== undefined) {
    [outH, outW] = pair(op, 'size', options.size, 1);
  } else {
    const f = options.scaleFactor!;
    [fh, fw] = typeof f === 'number' ? [f, f] : [f[0], f[1]];
    if (!(fh > 0) || !(fw > 0)) throw new Error(`${op}: scaleFactor must be positive, got ${JSON.stringify(f)}`);
    outH = Math.floor(h * fh);
    outW = Math.floor(w * fw);
    if (outH < 1 || outW < 1) throw new Error(`${op}: scaleFactor ${JSON.stringify(f)} makes input [${h}, ${w}] empty`);
  }
  const align = options.alignCorners ?? false;
  const th = taps(mode, h, outH, fh, align);
  const tw = taps(mode, w, outW, fw, align);
  const planes = n * c;
  const xd = x.data;
  const out = new Float32Array(planes * outH * outW);
  for (let p = 0, q = 0; p < planes; p++) {
    const base = p * h * w;
    for (let oh = 0; oh < outH; oh++) {
      const r0 = base + th.lo[oh] * w,
        r1 = base + th.hi[oh] * w;
      const b = th.wHi[oh],
        a = 1 - b;
      for (let ow = 0; ow < outW; ow++, q++) {
        const c0 = tw.lo[ow],
          c1 = tw.hi[ow];
        const d = tw.wHi[ow],
          e = 1 - d;
        out[q] = a * (e * xd[r0 + c0] + d * xd[r0 + c1]) + b * (e * xd[r1 + c0] + d * xd[r1 + c1]);
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
        const r0 = base + th.lo[oh] * w,
          r1 = base + th.hi[oh] * w;
        const b = th.wHi[oh],
          a = 1 - b;
        for (let ow = 0; ow < outW; ow++, q++) {
          const c0 = tw.lo[ow],
            c1 = tw.hi[ow];
          const d = tw.wHi[ow],
            e = 1 - d;
          const v = g[q];
          gx[r0 + c0] += a * e * v;
          gx[r0 + c1] += a * d * v;
          gx[r1 + c0] += b * e * v;
          gx[r1 + c1] += b * d * v;
        }
      }
    }
    accumulateOwned(x, gx);
  });
}
