/**
 * JavaScript side of assembly/image.ts's elementwise passes over activations: ReLU, a sum (with its ReLU,
 * a residual block's tail) and a per-channel affine map (batch norm in eval mode). Plain JavaScript runs
 * these at 4-15 ns a value (ReLU's branch mispredicts on activations of mixed sign); SIMD in wasm with the
 * copies in and out is ~1 ns. Values go through the scratch arena in cache-sized chunks, so tensors stay
 * ordinary Float32Arrays. Each function computes exactly what the TypeScript loop in its op computes and
 * returns false, having done nothing, when the wasm module is unavailable; the op then runs that loop.
 */
import { ARENA_OFFSET, arenaF32, wasmRuntime, type ImageExports, type Runtime } from './wasm_gemm';

/** Values per chunk and operand: three operands stay in the L2 cache. */
const CHUNK = 16384;
const BASE = ARENA_OFFSET >> 2;

let rtCache: Runtime | null | undefined;
function kernels(): { rt: Runtime; image: ImageExports } | null {
  if (rtCache === undefined) rtCache = wasmRuntime();
  return rtCache !== null && rtCache.image !== null ? { rt: rtCache, image: rtCache.image } : null;
}

/** Whether the wasm elementwise kernels loaded; for tests. */
export function elementwiseKernelsAvailable(): boolean {
  return kernels() !== null;
}

/** out = x > 0 ? x : 0. */
export function reluInto(out: Float32Array, x: Float32Array): boolean {
  const k = kernels();
  if (k === null) return false;
  const f32 = arenaF32(k.rt, Math.min(x.length, CHUNK) * 4);
  if (f32 === null) return false;
  for (let off = 0; off < x.length; off += CHUNK) {
    const len = Math.min(CHUNK, x.length - off);
    f32.set(x.subarray(off, off + len), BASE);
    k.image.reluF32(ARENA_OFFSET, ARENA_OFFSET, len);
    out.set(f32.subarray(BASE, BASE + len), off);
  }
  return true;
}

/** out = a + b (same length), then ReLU when `relu`. */
export function addInto(out: Float32Array, a: Float32Array, b: Float32Array, relu = false): boolean {
  const k = kernels();
  if (k === null) return false;
  const f32 = arenaF32(k.rt, 2 * Math.min(a.length, CHUNK) * 4);
  if (f32 === null) return false;
  const second = BASE + CHUNK;
  for (let off = 0; off < a.length; off += CHUNK) {
    const len = Math.min(CHUNK, a.length - off);
    f32.set(a.subarray(off, off + len), BASE);
    f32.set(b.subarray(off, off + len), second);
    k.image.addF32(ARENA_OFFSET, second * 4, ARENA_OFFSET, len, relu ? 1 : 0);
    out.set(f32.subarray(BASE, BASE + len), off);
  }
  return true;
}

/**
 * out[p] = f32(x[p] * scale[ch] + shift[ch]) (float64 arithmetic) over x [n, c, inner], channel ch of each
 * row of inner values.
 */
export function channelAffineInto(out: Float32Array, x: Float32Array, c: number, inner: number, scale: Float64Array, shift: Float64Array): boolean {
  const k = kernels();
  if (k === null) return false;
  const rows = inner === 0 ? 0 : x.length / inner;
  const rowsPer = Math.max(1, Math.floor(CHUNK / Math.max(1, inner)));
  const chunk = Math.min(rows, rowsPer) * inner;
  const f32 = arenaF32(k.rt, chunk * 4 + c * 16 + 64);
  if (f32 === null) return false;
  const params = ARENA_OFFSET + Math.ceil((chunk * 4) / 64) * 64;
  const f64 = new Float64Array(f32.buffer, params, 2 * c);
  f64.set(scale);
  f64.set(shift, c);
  for (let r0 = 0; r0 < rows; r0 += rowsPer) {
    const nr = Math.min(rowsPer, rows - r0);
    const from = r0 * inner,
      len = nr * inner;
    f32.set(x.subarray(from, from + len), BASE);
    k.image.channelAffine(ARENA_OFFSET, nr, c, r0 % c, inner, params, params + c * 8, ARENA_OFFSET);
    out.set(f32.subarray(BASE, BASE + len), from);
  }
  return true;
}
