/**
 * JavaScript side of assembly/image.ts's max pooling and batch norm passes: the operands are copied into
 * the shared memory (past the gemm scratch, see residentBase), the kernel runs, the results come back.
 * Each function computes exactly what the TypeScript loop in its op computes (the same operations in the
 * same order) and returns false, having done nothing, when the wasm module is unavailable: the op then
 * runs its own loop, which is also the reference the kernel tests compare against.
 */
import { residentBase, residentF32, wasmRuntime, type ImageExports, type Runtime } from './wasm_gemm';

/** A pooling window: kernel, stride, padding before, dilation, and the output size. */
export interface PoolWindow {
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  ph: number;
  pw: number;
  dh: number;
  dw: number;
  outH: number;
  outW: number;
}

let rtCache: Runtime | null | undefined;
function kernels(): { rt: Runtime; image: ImageExports } | null {
  if (rtCache === undefined) rtCache = wasmRuntime();
  return rtCache !== null && rtCache.image !== null ? { rt: rtCache, image: rtCache.image } : null;
}

/** Whether the wasm image kernels loaded; for tests. */
export function imageKernelsAvailable(): boolean {
  return kernels() !== null;
}

/** Consecutive regions (sizes in bytes) from residentBase, 64-byte aligned; null when they do not fit. */
function regions(rt: Runtime, bytes: number[]): { at: number[]; f32: Float32Array } | null {
  let p = residentBase(rt);
  const at: number[] = [];
  for (const b of bytes) {
    at.push(p);
    p += Math.ceil(b / 64) * 64;
  }
  const f32 = residentF32(rt, p);
  return f32 === null ? null : { at, f32 };
}

/** out and argmax (index into x) of max pooling x, `planes` planes of h x w. */
export function maxPool2dInto(
  x: Float32Array,
  planes: number,
  h: number,
  w: number,
  win: PoolWindow,
  out: Float32Array,
  argmax: Int32Array,
): boolean {
  const k = kernels();
  if (k === null) return false;
  const count = out.length;
  const r = regions(k.rt, [x.length * 4, count * 4, count * 4]);
  if (r === null) return false;
  const [px, po, pa] = r.at;
  r.f32.set(x, px >> 2);
  k.image.maxPool2d(px, planes, h, w, win.kh, win.kw, win.sh, win.sw, win.ph, win.pw, win.dh, win.dw, win.outH, win.outW, po, pa);
  const f32 = k.rt.f32;
  out.set(f32.subarray(po >> 2, (po >> 2) + count));
  argmax.set(new Int32Array(f32.buffer, pa, count));
  return true;
}

/** gx[argmax[q]] += g[q]: max pooling's backward (gx as given, normally zeros). */
export function maxPoolBackwardInto(g: Float32Array, argmax: Int32Array, gx: Float32Array): boolean {
  const k = kernels();
  if (k === null) return false;
  const count = g.length;
  const r = regions(k.rt, [count * 4, count * 4, gx.length * 4]);
  if (r === null) return false;
  const [pg, pa, px] = r.at;
  r.f32.set(g, pg >> 2);
  new Int32Array(r.f32.buffer, pa, count).set(argmax);
  r.f32.set(gx, px >> 2);
  k.image.maxPoolBackward(pg, pa, count, px);
  gx.set(k.rt.f32.subarray(px >> 2, (px >> 2) + gx.length));
  return true;
}

/**
 * Batch norm's forward passes over x [n, c, inner]. With `eps` (training) the batch statistics first:
 * mean[ch] (sum / count, float64), sq[ch] (sum of squared deviations, float64) and rstd[ch] = 1/sqrt(sq/count
 * + eps); with eps null, mean and rstd as given (running statistics). Then xhat = (x - mean) * rstd.
 */
export function batchNormForwardInto(
  x: Float32Array,
  n: number,
  c: number,
  inner: number,
  eps: number | null,
  mean: Float64Array,
  sq: Float64Array,
  rstd: Float32Array,
  xhat: Float32Array,
): boolean {
  const k = kernels();
  if (k === null) return false;
  const r = regions(k.rt, [x.length * 4, c * 8, c * 8, c * 4]);
  if (r === null) return false;
  const [px, pm, ps, pr] = r.at;
  r.f32.set(x, px >> 2);
  const f64 = new Float64Array(r.f32.buffer, pm, c);
  const count = n * inner;
  if (eps !== null) {
    f64.fill(0);
    k.image.channelSums(px, n, c, inner, pm);
    for (let ch = 0; ch < c; ch++) mean[ch] = f64[ch] / count;
    f64.set(mean);
    const s = new Float64Array(r.f32.buffer, ps, c);
    s.fill(0);
    k.image.channelSquares(px, n, c, inner, pm, ps);
    sq.set(s);
    for (let ch = 0; ch < c; ch++) rstd[ch] = 1 / Math.sqrt(sq[ch] / count + eps);
  } else {
    f64.set(mean);
  }
  new Float32Array(r.f32.buffer, pr, c).set(rstd);
  // xhat overwrites x in place: each value is read once, just before its result is written.
  k.image.normalize(px, n, c, inner, pm, pr, px);
  xhat.set(k.rt.f32.subarray(px >> 2, (px >> 2) + x.length));
  return true;
}

/**
 * Batch norm's input gradient in training, in place on g (the gradient with respect to xhat):
 * g = rstd/count * (count*g - sum(g) - xhat*sum(g*xhat)), the sums per channel in float64.
 */
export function batchNormBackwardInPlace(g: Float32Array, xhat: Float32Array, n: number, c: number, inner: number, rstd: Float32Array): boolean {
  const k = kernels();
  if (k === null) return false;
  const r = regions(k.rt, [g.length * 4, g.length * 4, c * 8, c * 8, c * 4]);
  if (r === null) return false;
  const [pg, px, pa, pb, pr] = r.at;
  r.f32.set(g, pg >> 2);
  r.f32.set(xhat, px >> 2);
  new Float64Array(r.f32.buffer, pa, c).fill(0);
  new Float64Array(r.f32.buffer, pb, c).fill(0);
  new Float32Array(r.f32.buffer, pr, c).set(rstd);
  k.image.channelGradSums(pg, px, n, c, inner, pa, pb);
  k.image.batchNormBackward(pg, px, n, c, inner, n * inner, pr, pa, pb);
  g.set(k.rt.f32.subarray(pg >> 2, (pg >> 2) + g.length));
  return true;
}
