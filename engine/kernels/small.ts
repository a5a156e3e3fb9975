/**
 * JavaScript side of assembly/small.ts: elementwise activations and losses and thin matrix products in
 * WebAssembly SIMD. tanh and the products use float64 lanes and the same formulas and rounding as the
 * scalar JavaScript they replace (identical results); the logistic loss runs exp/log1p in float32 lanes
 * (within 3 float32 ulps of float64).
 * Inputs are copied into the shared memory's scratch arena and results copied back out, so tensors stay
 * ordinary Float32Arrays. Every function returns false (or null) having done nothing when the wasm module
 * is unavailable; callers then run their JavaScript loops.
 */
import { ARENA_OFFSET, arenaF32, wasmRuntime, type Runtime, type SmallExports } from './wasm_gemm';

/** Elementwise ops run in chunks of this many values: bounded scratch, and it stays in cache. */
const CHUNK = 16384;

let cachedRt: Runtime | null | undefined;
let cachedSmall: SmallExports | null = null;

function small(): SmallExports | null {
  if (cachedRt === undefined) {
    cachedRt = wasmRuntime();
    cachedSmall = cachedRt ? cachedRt.small : null;
  }
  return cachedSmall;
}

/** Float offset of the arena and a view covering at least `floats` values past it, or null. */
function arena(floats: number): Float32Array | null {
  return arenaF32(cachedRt as Runtime, floats * 4);
}

/** Rounds a float count up to a 16-byte boundary. */
function up4(n: number): number {
  return (n + 3) & ~3;
}

const BASE = ARENA_OFFSET >> 2;

/** Whether the wasm kernels for small tensors are loaded (for tests). */
export function smallKernelsAvailable(): boolean {
  return small() !== null;
}

/** out[i] = tanh(x[i]) (Eigen's rational approximation, as engine/ops/tanh.ts's tanhScalar). */
export function tanhInto(out: Float32Array, x: Float32Array): boolean {
  const k = small();
  if (k === null) return false;
  const n = x.length;
  const f32 = arena(Math.min(n, CHUNK));
  if (f32 === null) return false;
  for (let off = 0; off < n; off += CHUNK) {
    const len = Math.min(CHUNK, n - off);
    f32.set(len === n ? x : x.subarray(off, off + len), BASE);
    k.tanhF32(ARENA_OFFSET, ARENA_OFFSET, len);
    out.set(f32.subarray(BASE, BASE + len), off);
  }
  return true;
}

/** gx[i] = g[i] * (1 - y[i]^2), tanh's backward from its output y. */
export function tanhBackwardInto(gx: Float32Array, g: Float32Array, y: Float32Array): boolean {
  const k = small();
  if (k === null) return false;
  const n = g.length;
  const c = Math.min(n, CHUNK);
  const f32 = arena(2 * up4(c));
  if (f32 === null) return false;
  const yo = BASE + up4(c);
  for (let off = 0; off < n; off += CHUNK) {
    const len = Math.min(CHUNK, n - off);
    f32.set(len === n ? g : g.subarray(off, off + len), BASE);
    f32.set(len === n ? y : y.subarray(off, off + len), yo);
    k.tanhBackwardF32(ARENA_OFFSET, yo * 4, ARENA_OFFSET, len);
    gx.set(f32.subarray(BASE, BASE + len), off);
  }
  return true;
}

/**
 * BCE-with-logits per element, max(x,0) - x*y + log(1 + exp(-|x|)) (exp and log1p in float32 lanes, the
 * rest in float64, within 3 float32 ulps), rounded to float32, written to per when given, and summed in
 * float64; returns the sum, or null when the kernels are unavailable.
 */
export function bceWithLogitsSum(x: Float32Array, y: Float32Array, per: Float32Array | null): number | null {
  const k = small();
  if (k === null) return null;
  const n = x.length;
  const c = Math.min(n, CHUNK);
  const f32 = arena(3 * up4(c));
  if (f32 === null) return null;
  const yo = BASE + up4(c),
    po = yo + up4(c);
  let sum = 0;
  for (let off = 0; off < n; off += CHUNK) {
    const len = Math.min(CHUNK, n - off);
    f32.set(len === n ? x : x.subarray(off, off + len), BASE);
    f32.set(len === n ? y : y.subarray(off, off + len), yo);
    sum += k.bceLogitsForward(ARENA_OFFSET, yo * 4, per === null ? 0 : po * 4, len);
    if (per !== null) per.set(f32.subarray(po, po + len), off);
  }
  return sum;
}

/**
 * gx[i] = (sigmoid(x[i]) - y[i]) * factor * g[i], with g the upstream gradient per element or, when null,
 * the single value `scalar` (sigmoid in float32 lanes, the rest in float64: within 3 ulps).
 */
export function bceWithLogitsBackwardInto(
  gx: Float32Array,
  x: Float32Array,
  y: Float32Array,
  g: Float32Array | null,
  factor: number,
  scalar: number,
): boolean {
  const k = small();
  if (k === null) return false;
  const n = x.length;
  const c = Math.min(n, CHUNK);
  const f32 = arena(3 * up4(c));
  if (f32 === null) return false;
  const yo = BASE + up4(c),
    go = yo + up4(c);
  for (let off = 0; off < n; off += CHUNK) {
    const len = Math.min(CHUNK, n - off);
    f32.set(len === n ? x : x.subarray(off, off + len), BASE);
    f32.set(len === n ? y : y.subarray(off, off + len), yo);
    if (g !== null) f32.set(len === n ? g : g.subarray(off, off + len), go);
    k.bceLogitsBackward(ARENA_OFFSET, yo * 4, g === null ? 0 : go * 4, ARENA_OFFSET, len, factor, scalar);
    gx.set(f32.subarray(BASE, BASE + len), off);
  }
  return true;
}

/**
 * Whether gemmSmall should first convert op(B) to float64 (k*n values): when op(B) is small (a layer's
 * weights) and reused by enough row blocks of 4 to repay the conversion.
 */
function packB(m: number, k: number, n: number): boolean {
  return m >= 8 && k * n <= 4096;
}

function whole(a: Float32Array, n: number): Float32Array {
  return a.length === n ? a : a.subarray(0, n);
}

/**
 * out[m,n] (+)= op(a) @ op(b) like matmulInto, for small products: sums in float64 over p in order,
 * rounded once (as the scalar JavaScript loop).
 */
export function smallMatmulInto(
  out: Float32Array,
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
  accumulate: boolean,
): boolean {
  const s = small();
  if (s === null) return false;
  const ao = BASE,
    bo = ao + up4(m * k),
    co = bo + up4(k * n),
    po = co + up4(m * n);
  const pack = packB(m, k, n);
  const f32 = arena(po - BASE + (pack ? 2 * k * n : 0));
  if (f32 === null) return false;
  f32.set(whole(a, m * k), ao);
  f32.set(whole(b, k * n), bo);
  if (accumulate) f32.set(whole(out, m * n), co);
  s.gemmSmall(ao * 4, bo * 4, co * 4, m, k, n, transA ? 1 : k, transA ? m : 1, transB ? 1 : n, transB ? k : 1, accumulate ? 1 : 0, pack ? po * 4 : 0);
  out.set(f32.subarray(co, co + m * n));
  return true;
}

/** nn.Linear's forward for small shapes: out[m,n] = x[m,k] @ w[n,k]^T (+ bias[n]), in one call. */
export function smallLinearForwardInto(
  out: Float32Array,
  x: Float32Array,
  w: Float32Array,
  bias: Float32Array | null,
  m: number,
  k: number,
  n: number,
): boolean {
  const s = small();
  if (s === null) return false;
  const xo = BASE,
    wo = xo + up4(m * k),
    bo = wo + up4(n * k),
    co = bo + up4(n),
    po = co + up4(m * n);
  const pack = packB(m, k, n);
  const f32 = arena(po - BASE + (pack ? 2 * k * n : 0));
  if (f32 === null) return false;
  f32.set(whole(x, m * k), xo);
  f32.set(whole(w, n * k), wo);
  s.gemmSmall(xo * 4, wo * 4, co * 4, m, k, n, k, 1, 1, k, 0, pack ? po * 4 : 0);
  if (bias !== null) {
    f32.set(whole(bias, n), bo);
    s.addRowBias(co * 4, bo * 4, m, n);
  }
  out.set(f32.subarray(co, co + m * n));
  return true;
}

/**
 * nn.Linear's backward for small shapes from g[m,n] = dL/dy, with x[m,k] and w[n,k]: any of
 * gx[m,k] = g @ w, gw[n,k] = g^T @ x and gb[n] = column sums of g (in float32, row order) that is not
 * null, each overwritten. g is copied in once for all three.
 */
export function smallLinearBackward(
  g: Float32Array,
  x: Float32Array,
  w: Float32Array,
  m: number,
  k: number,
  n: number,
  gx: Float32Array | null,
  gw: Float32Array | null,
  gb: Float32Array | null,
): boolean {
  const s = small();
  if (s === null) return false;
  const go = BASE,
    xo = go + up4(m * n),
    wo = xo + up4(m * k),
    gxo = wo + up4(n * k),
    gwo = gxo + up4(m * k),
    gbo = gwo + up4(n * k),
    po = gbo + up4(n);
  // op(B) is w (k*n values) for gx and x (m*k) for gw: packed to float64 when worth it (see packB).
  const packGx = gx !== null && packB(m, n, k),
    packGw = gw !== null && packB(n, m, k);
  const f32 = arena(po - BASE + 2 * Math.max(packGx ? k * n : 0, packGw ? m * k : 0));
  if (f32 === null) return false;
  f32.set(whole(g, m * n), go);
  if (gx !== null) {
    f32.set(whole(w, n * k), wo);
    s.gemmSmall(go * 4, wo * 4, gxo * 4, m, n, k, n, 1, k, 1, 0, packGx ? po * 4 : 0);
    gx.set(f32.subarray(gxo, gxo + m * k));
  }
  if (gw !== null) {
    f32.set(whole(x, m * k), xo);
    s.gemmSmall(go * 4, xo * 4, gwo * 4, n, m, k, 1, n, k, 1, 0, packGw ? po * 4 : 0);
    gw.set(f32.subarray(gwo, gwo + n * k));
  }
  if (gb !== null) {
    s.columnSums(go * 4, gbo * 4, m, n);
    gb.set(f32.subarray(gbo, gbo + n));
  }
  return true;
}
