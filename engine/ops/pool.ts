import { Tensor } from '../tensor_core';
import { averageOverWindows, maxPoolResult } from './pool_windows';
import { expectRank, pair, poolOutSize, type Pair } from './window';
import { reshape } from './reshape';
import { maxPool2dInto, type PoolWindow } from '../kernels/image';

/** F.max_pool's options, P: number (1-D) or Pair (2-D); stride null or absent is the kernel size. */
export interface MaxPoolOptions<P extends Pair> {
  stride?: P | null;
  padding?: P;
  dilation?: P;
  ceilMode?: boolean;
}

export type MaxPool2dOptions = MaxPoolOptions<Pair>;
export type MaxPool1dOptions = MaxPoolOptions<number>;

export interface AvgPool2dOptions {
  stride?: Pair | null;
  padding?: Pair;
  ceilMode?: boolean;
  countIncludePad?: boolean;
}

type Window = PoolWindow;

function windowOf(
  op: string,
  h: number,
  w: number,
  kernelSize: Pair,
  o: { stride?: Pair | null; padding?: Pair; dilation?: Pair; ceilMode?: boolean },
): Window {
  const [kh, kw] = pair(op, 'kernelSize', kernelSize, 1);
  // PyTorch's stride defaults to the kernel size (non-overlapping windows).
  const [sh, sw] = o.stride === undefined || o.stride === null ? [kh, kw] : pair(op, 'stride', o.stride, 1);
  const [ph, pw] = pair(op, 'padding', o.padding ?? 0, 0);
  const [dh, dw] = pair(op, 'dilation', o.dilation ?? 1, 1);
  const ceil = o.ceilMode ?? false;
  const outH = poolOutSize(op, 'height', h, kh, sh, ph, dh, ceil);
  const outW = poolOutSize(op, 'width', w, kw, sw, pw, dw, ceil);
  return { kh, kw, sh, sw, ph, pw, dh, dw, outH, outW };
}

/**
 * PyTorch's F.max_pool2d on [N, C, H, W]: padding counts as -infinity, NaN wins (as in PyTorch), and the
 * index of each maximum is kept so backward routes the gradient to exactly the value PyTorch picks.
 */
export function maxPool2d(x: Tensor, kernelSize: Pair, options: MaxPool2dOptions = {}): Tensor {
  const op = 'maxPool2d';
  const [n, c, h, w] = expectRank(op, x, 4, '[N, C, H, W]');
  const win = windowOf(op, h, w, kernelSize, options);
  const { outH, outW } = win;
  const planes = n * c;
  const out = new Float32Array(planes * outH * outW);
  const argmax = new Int32Array(out.length);
  // The wasm kernel (engine/kernels/image.ts) computes what maxPoolPlanes does, bit for bit.
  if (!maxPool2dInto(x.data, planes, h, w, win, out, argmax)) maxPoolPlanes(x.data, planes, h, w, win, out, argmax);
  return maxPoolResult(op, x, out, [n, c, outH, outW], argmax);
}

/** PyTorch's F.max_pool1d on [N, C, L]: a max-pool over a height of one. */
export function maxPool1d(x: Tensor, kernelSize: number, options: MaxPool1dOptions = {}): Tensor {
  const [n, c, l] = expectRank('maxPool1d', x, 3, '[N, C, L]');
  const y = maxPool2d(reshape(x, [n, c, 1, l]), [1, kernelSize], {
    stride: options.stride === undefined || options.stride === null ? [1, kernelSize] : [1, options.stride],
    padding: [0, options.padding ?? 0],
    dilation: [1, options.dilation ?? 1],
    ceilMode: options.ceilMode,
  });
  return reshape(y, [n, c, y.shape[3]]);
}

/**
 * Along one axis of `size` inputs, each of `outSize` windows (kernel k, stride, padding pad): the span
 * [lo, hi) of real inputs it covers, and its length clipped to the padded input only (avg_pool's divisor
 * with countIncludePad).
 */
function clippedWindows(
  outSize: number,
  stride: number,
  pad: number,
  k: number,
  size: number,
): { lo: Int32Array; hi: Int32Array; padded: Int32Array } {
  const lo = new Int32Array(outSize),
    hi = new Int32Array(outSize),
    padded = new Int32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const s = o * stride - pad;
    const e = Math.min(s + k, size + pad);
    padded[o] = e - s;
    lo[o] = Math.max(s, 0);
    hi[o] = Math.min(e, size);
  }
  return { lo, hi, padded };
}

/**
 * PyTorch's F.avg_pool2d on [N, C, H, W]. The divisor is the window clipped to the padded input
 * (countIncludePad, the default) or to the input itself, exactly as PyTorch counts it.
 */
export function avgPool2d(x: Tensor, kernelSize: Pair, options: AvgPool2dOptions = {}): Tensor {
  const op = 'avgPool2d';
  const [, , h, w] = expectRank(op, x, 4, '[N, C, H, W]');
  const { kh, kw, sh, sw, ph, pw, outH, outW } = windowOf(op, h, w, kernelSize, { ...options, dilation: 1 });
  const includePad = options.countIncludePad ?? true;
  // Per output position the clipped window and its divisor, shared by every plane and by backward.
  const { lo: hLo, hi: hHi, padded: hPad } = clippedWindows(outH, sh, ph, kh, h);
  const { lo: wLo, hi: wHi, padded: wPad } = clippedWindows(outW, sw, pw, kw, w);
  const divisor = new Float32Array(outH * outW);
  for (let oh = 0; oh < outH; oh++) {
    for (let ow = 0; ow < outW; ow++) {
      const count = includePad ? hPad[oh] * wPad[ow] : (hHi[oh] - hLo[oh]) * (wHi[ow] - wLo[ow]);
      divisor[oh * outW + ow] = count;
    }
  }
  return averageOverWindows(op, x, { hLo, hHi, wLo, wHi, divisor });
}

/** Max pooling of `planes` planes of h x w in TypeScript: the reference of engine/kernels/image.ts's maxPool2dInto. */
export function maxPoolPlanes(xd: Float32Array, planes: number, h: number, w: number, win: Window, out: Float32Array, argmax: Int32Array): void {
  const { kh, kw, sh, sw, ph, pw, dh, dw, outH, outW } = win;
  for (let p = 0, q = 0; p < planes; p++) {
    const base = p * h * w;
    for (let oh = 0; oh < outH; oh++) {
      const h0 = oh * sh - ph;
      for (let ow = 0; ow < outW; ow++, q++) {
        const w0 = ow * sw - pw;
        let best = -Infinity;
        let at = -1;
        for (let i = 0; i < kh; i++) {
          const ih = h0 + i * dh;
          if (ih < 0 || ih >= h) continue;
          const row = base + ih * w;
          for (let j = 0; j < kw; j++) {
            const iw = w0 + j * dw;
            if (iw < 0 || iw >= w) continue;
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
}
