/**
 * Matrix-product kernels behind Tensor.matmul and nn.Linear (forward and backward).
 *
 * Two paths, chosen per call: tiny products (the spiral net's 400x2 @ 2x4 and friends), where the cost is
 * per call, not per flop, run in assembly/small.ts's gemmSmall (float64 sums in order, as the scalar
 * JavaScript loop below, which remains the fallback when wasm is unavailable); everything else is copied
 * into WebAssembly memory and run by the SIMD kernel in assembly/gemm.ts, split across worker threads
 * when large (see wasm_gemm.ts). All calls are synchronous.
 */
import { wasmMatmulInto } from './wasm_gemm';
import { smallMatmulInto } from './small';
import { writeVersion } from '../tensor_core';

export { setMatmulThreads, kernelInfo, warmUpThreads } from './wasm_gemm';

/**
 * Whether this is a small product (assembly/small.ts's gemmSmall, or the scalar loop below without wasm)
 * rather than one for the blocked gemm. The model was fitted for the scalar loop, which the small kernel
 * only beats, so the crossover is conservative. Both costs are in units of one scalar multiply-add
 * (~0.7 ns), fitted on this project's 2-core bench machine: wasm pays a fixed ~0.3 us per call, ~40 ns
 * per 4x8 output tile (packing and edge handling dominate when k is small), about a nanosecond per input
 * element copied and packed, and then runs ~12x faster per multiply-add. So W1's 400x2 @ 2x4 (100 tiles,
 * 3,200 multiply-adds) stays scalar while 16x16 @ 16x16 (8 tiles, 4,096) goes to wasm.
 */
export function preferScalar(m: number, k: number, n: number, residentB = false): boolean {
  const macs = m * k * n;
  const tiles = Math.ceil(m / 4) * Math.ceil(n / 8);
  // A resident b (matmulInto's keepB) is not copied, only packed: half its per-element cost.
  return macs < 400 + 60 * tiles + 1.5 * m * k + (residentB ? 0.75 : 1.5) * k * n + 0.08 * macs;
}

/**
 * out[m,n] (+)= op(a) @ op(b), row-major float32. op(a) is a[m,k] or, with transA, a stored as [k,m];
 * op(b) is b[k,n] or, with transB, b stored as [n,k]. With accumulate the product is added to out
 * (gradient accumulation) instead of overwriting it. out must not alias a or b. With keepB, b (a Parameter's
 * storage, see storageOf) may stay resident in wasm memory between calls (wasm_gemm.ts's residentCopy).
 */
export function matmulInto(
  out: Float32Array,
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
  transA = false,
  transB = false,
  accumulate = false,
  keepB = false,
): void {
  if (m === 0 || n === 0) return;
  // A resident b is not copied per call, so it moves the crossover (as linear's own choice assumes).
  if (!preferScalar(m, k, n, keepB && writeVersion(b) !== undefined)) {
    if (wasmMatmulInto(out, a, b, m, k, n, transA, transB, accumulate, keepB)) return;
  } else if (k > 0 && smallMatmulInto(out, a, b, m, k, n, transA, transB, accumulate)) {
    // The same sums as scalarMatmul (float64, in order, rounded once) in wasm's float64 SIMD lanes.
    return;
  }
  scalarMatmul(out, a, b, m, k, n, transA ? 1 : k, transA ? m : 1, transB ? 1 : n, transB ? k : 1, accumulate);
}

/**
 * nn.Linear's forward: out[m,n] = x[m,k] @ w[n,k]^T + bias[n] (PyTorch's weight layout [out, in]).
 * bias may be null.
 */
export function linearForwardInto(
  out: Float32Array,
  x: Float32Array,
  w: Float32Array,
  bias: Float32Array | null,
  m: number,
  k: number,
  n: number,
): void {
  if (bias === null) {
    matmulInto(out, x, w, m, k, n, false, true, false);
    return;
  }
  // Seeding out with the bias and accumulating costs one row copy per row instead of a second pass.
  const row = bias.length === n ? bias : bias.subarray(0, n);
  for (let i = 0; i < m; i++) out.set(row, i * n);
  matmulInto(out, x, w, m, k, n, false, true, true);
}

/**
 * op(a)[i,p] = a[i*asi + p*asp], op(b)[p,j] = b[p*bsp + j*bsj]. Every inner loop carries at least four
 * independent sums (2x4 or 1x4 blocks, or four rows of a leftover column) because a single running sum is
 * bound by the latency of floating-point addition; sums are in double precision, rounded once on store.
 */
function scalarMatmul(
  out: Float32Array,
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
  asi: number,
  asp: number,
  bsp: number,
  bsj: number,
  accumulate: boolean,
): void {
  const n4 = n - (n & 3);
  if (n4 > 0) {
    // Two rows by four columns: eight sums, and each b load serves two rows.
    let i = 0;
    for (; i + 1 < m; i += 2) {
      const oi = i * n;
      for (let j = 0; j < n4; j += 4) {
        let s0 = 0,
          s1 = 0,
          s2 = 0,
          s3 = 0,
          t0 = 0,
          t1 = 0,
          t2 = 0,
          t3 = 0;
        let ap = i * asi,
          bp = j * bsj;
        for (let p = 0; p < k; p++) {
          const av = a[ap],
            aw = a[ap + asi];
          const b0 = b[bp],
            b1 = b[bp + bsj],
            b2 = b[bp + 2 * bsj],
            b3 = b[bp + 3 * bsj];
          s0 += av * b0;
          s1 += av * b1;
          s2 += av * b2;
          s3 += av * b3;
          t0 += aw * b0;
          t1 += aw * b1;
          t2 += aw * b2;
          t3 += aw * b3;
          ap += asp;
          bp += bsp;
        }
        const o = oi + j,
          q = o + n;
        if (accumulate) {
          out[o] += s0;
          out[o + 1] += s1;
          out[o + 2] += s2;
          out[o + 3] += s3;
          out[q] += t0;
          out[q + 1] += t1;
          out[q + 2] += t2;
          out[q + 3] += t3;
        } else {
          out[o] = s0;
          out[o + 1] = s1;
          out[o + 2] = s2;
          out[o + 3] = s3;
          out[q] = t0;
          out[q + 1] = t1;
          out[q + 2] = t2;
          out[q + 3] = t3;
        }
      }
    }
    for (; i < m; i++) {
      const oi = i * n;
      for (let j = 0; j < n4; j += 4) {
        let s0 = 0,
          s1 = 0,
          s2 = 0,
          s3 = 0;
        let ap = i * asi,
          bp = j * bsj;
        for (let p = 0; p < k; p++) {
          const av = a[ap];
          s0 += av * b[bp];
          s1 += av * b[bp + bsj];
          s2 += av * b[bp + 2 * bsj];
          s3 += av * b[bp + 3 * bsj];
          ap += asp;
          bp += bsp;
        }
        if (accumulate) {
          out[oi + j] += s0;
          out[oi + j + 1] += s1;
          out[oi + j + 2] += s2;
          out[oi + j + 3] += s3;
        } else {
          out[oi + j] = s0;
          out[oi + j + 1] = s1;
          out[oi + j + 2] = s2;
          out[oi + j + 3] = s3;
        }
      }
    }
  }
  // Columns left over (all of them when n < 4): four rows at a time.
  const m4 = m - (m & 3);
  for (let j = n4; j < n; j++) {
    let i = 0;
    for (; i < m4; i += 4) {
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      let ap = i * asi,
        bp = j * bsj;
      for (let p = 0; p < k; p++) {
        const bv = b[bp];
        s0 += a[ap] * bv;
        s1 += a[ap + asi] * bv;
        s2 += a[ap + 2 * asi] * bv;
        s3 += a[ap + 3 * asi] * bv;
        ap += asp;
        bp += bsp;
      }
      const o = i * n + j;
      if (accumulate) {
        out[o] += s0;
        out[o + n] += s1;
        out[o + 2 * n] += s2;
        out[o + 3 * n] += s3;
      } else {
        out[o] = s0;
        out[o + n] = s1;
        out[o + 2 * n] = s2;
        out[o + 3 * n] = s3;
      }
    }
    for (; i < m; i++) {
      let s0 = 0,
        s1 = 0;
      let ap = i * asi,
        bp = j * bsj;
      let p = 0;
      for (; p + 1 < k; p += 2) {
        s0 += a[ap] * b[bp];
        s1 += a[ap + asp] * b[bp + bsp];
        ap += 2 * asp;
        bp += 2 * bsp;
      }
      if (p < k) s0 += a[ap] * b[bp];
      const o = i * n + j;
      out[o] = accumulate ? out[o] + s0 + s1 : s0 + s1;
    }
  }
}
