// Single-precision GEMM for NN Blocks: C[m,n] (+)= op(A) @ op(B), row-major.
//
// GotoBLAS structure: for each (NC columns, KC depth) block, op(B) is packed into 8-wide column panels
// and op(A) into MR-row panels, so the micro-kernel sees one contiguous layout whatever the transposes
// were. The micro-kernel keeps a 4 x 8 tile of C in eight v128 accumulators. Larger tiles were slower
// under V8 (measured 6x8: 23 GFLOP/s, 5x8: 22, 4x8: 38 on one core; unrolling k by 2: 26): x64 V8 keeps
// xmm15 as a scratch register and needs a temporary per mul+add (no FMA without relaxed-simd, which
// Node 20 only has behind --experimental-wasm-relaxed-simd), so anything past ~12 live vectors spills.
//
// Memory is imported and shared: the main thread and the workers instantiate this module over the same
// WebAssembly.Memory, and each caller passes its own scratch area, so there is no module state at all.

// @ts-ignore: decorator
@inline const MR: i32 = 4; // see kernel4x8; packA's vector paths also assume 4 (16 bytes per k step)
// @ts-ignore: decorator
@inline const NR: i32 = 8;
// KC x NC floats of packed B (256 x 512 x 4 B = 512 KiB) sit in the per-core L2; an MR x KC A panel
// (4 KiB) and an 8 x KC B strip (8 KiB) sit in L1. KC 128..384 x NC 256..1024 measured within noise.
// @ts-ignore: decorator
@inline const KC: i32 = 256;
// @ts-ignore: decorator
@inline const NC: i32 = 512;

/** Bytes of scratch one caller of gemm needs. */
export function scratchBytes(): i32 {
  return (KC * NC + MR * KC + MR * NR) * 4 + 64;
}

// Stores the transpose of the 4x4 block [r0; r1; r2; r3] as four vectors `stride` bytes apart: packing
// a row-major operand into column panels this way takes 4 loads and 4 stores per 16 floats instead of
// 16 scalar strided stores (the transposed operands were ~10% slower before).
// @ts-ignore: decorator
@inline
function storeTransposed4x4(dst: usize, stride: usize, r0: v128, r1: v128, r2: v128, r3: v128): void {
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
  const t1 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t2 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
  v128.store(dst + stride, i32x4.shuffle(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * stride, i32x4.shuffle(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * stride, i32x4.shuffle(t1, t3, 2, 3, 6, 7));
}

// op(B)[p0 .. p0+kc, j0 .. j0+nc) -> panels of kc rows x 8 floats, zero-padded past column nc.
function packB(dst: usize, b: usize, k: i32, n: i32, transB: bool, p0: i32, kc: i32, j0: i32, nc: i32): void {
  for (let jp = 0; jp < nc; jp += NR) {
    const w = min(NR, nc - jp);
    const panel = dst + (<usize>jp * kc << 2);
    const j = j0 + jp;
    if (!transB) {
      let src = b + ((<usize>p0 * n + j) << 2);
      const stride = <usize>n << 2;
      if (w == NR) {
        for (let p = 0; p < kc; p++) {
          const d = panel + (<usize>p << 5);
          v128.store(d, v128.load(src));
          v128.store(d, v128.load(src, 16), 16);
          src += stride;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const d = panel + (<usize>p << 5);
          v128.store(d, f32x4.splat(0));
          v128.store(d, f32x4.splat(0), 16);
          for (let c = 0; c < w; c++) store<f32>(d + (<usize>c << 2), load<f32>(src + (<usize>c << 2)));
          src += stride;
        }
      }
    } else if (w == NR) {
      // B stored as [n, k]: column j of op(B) is row j of b, contiguous in p.
      const s0 = b + ((<usize>j * k + p0) << 2);
      const rs = <usize>k << 2;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const s = s0 + (<usize>p << 2);
        const d = panel + (<usize>p << 5);
        storeTransposed4x4(d, 32, v128.load(s), v128.load(s + rs), v128.load(s + 2 * rs), v128.load(s + 3 * rs));
        const s4 = s + 4 * rs;
        storeTransposed4x4(d + 16, 32, v128.load(s4), v128.load(s4 + rs), v128.load(s4 + 2 * rs), v128.load(s4 + 3 * rs));
      }
      for (; p < kc; p++) {
        const d = panel + (<usize>p << 5);
        for (let c = 0; c < NR; c++) store<f32>(d + (<usize>c << 2), load<f32>(s0 + <usize>c * rs + (<usize>p << 2)));
      }
    } else {
      for (let c = 0; c < NR; c++) {
        const d = panel + (<usize>c << 2);
        if (c < w) {
          const src = b + ((<usize>(j + c) * k + p0) << 2);
          for (let p = 0; p < kc; p++) store<f32>(d + (<usize>p << 5), load<f32>(src + (<usize>p << 2)));
        } else {
          for (let p = 0; p < kc; p++) store<f32>(d + (<usize>p << 5), 0);
        }
      }
    }
  }
}

// op(A)[i0 .. i0+h, p0 .. p0+kc) -> one panel of kc x MR floats, zero-padded past row h.
function packA(dst: usize, a: usize, m: i32, k: i32, transA: bool, i0: i32, h: i32, p0: i32, kc: i32): void {
  if (!transA && h == MR) {
    const s0 = a + ((<usize>i0 * k + p0) << 2);
    const rs = <usize>k << 2;
    let p = 0;
    for (; p + 4 <= kc; p += 4) {
      const s = s0 + (<usize>p << 2);
      storeTransposed4x4(dst + (<usize>p << 4), 16, v128.load(s), v128.load(s + rs), v128.load(s + 2 * rs), v128.load(s + 3 * rs));
    }
    for (; p < kc; p++) {
      const d = dst + (<usize>p << 4);
      for (let r = 0; r < MR; r++) store<f32>(d + (<usize>r << 2), load<f32>(s0 + <usize>r * rs + (<usize>p << 2)));
    }
  } else if (!transA) {
    for (let r = 0; r < MR; r++) {
      const d = dst + (<usize>r << 2);
      if (r < h) {
        const src = a + ((<usize>(i0 + r) * k + p0) << 2);
        for (let p = 0; p < kc; p++) store<f32>(d + <usize>p * (MR << 2), load<f32>(src + (<usize>p << 2)));
      } else {
        for (let p = 0; p < kc; p++) store<f32>(d + <usize>p * (MR << 2), 0);
      }
    }
  } else {
    // A stored as [k, m]: row p of op(A)^T is contiguous.
    let src = a + ((<usize>p0 * m + i0) << 2);
    const stride = <usize>m << 2;
    if (h == MR) {
      for (let p = 0; p < kc; p++) {
        v128.store(dst + (<usize>p << 4), v128.load(src));
        src += stride;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const d = dst + (<usize>p << 4);
        for (let r = 0; r < MR; r++) store<f32>(d + (<usize>r << 2), r < h ? load<f32>(src + (<usize>r << 2)) : 0);
        src += stride;
      }
    }
  }
}

// c + a * b. Built twice (scripts/build-wasm.mjs): gemm.wasm with plain SIMD, a mul and an add, and
// gemm_relaxed.wasm with relaxed SIMD, where the runtime may fuse them (one FMA, rounded once) — the
// constant below is folded at compile time, so each module holds one form only.
// @ts-ignore: decorator
@inline
function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

// C[4 x 8] (+)= Apanel @ Bstrip.
// @ts-ignore: decorator
@inline
function kernel4x8(ap: usize, bp: usize, kc: i32, c: usize, ldc: usize, addC: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap, 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap, 12);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    ap += 16;
    bp += 32;
  }
  if (addC) {
    c00 = f32x4.add(c00, v128.load(c)); c01 = f32x4.add(c01, v128.load(c, 16)); c += ldc;
    c10 = f32x4.add(c10, v128.load(c)); c11 = f32x4.add(c11, v128.load(c, 16)); c += ldc;
    c20 = f32x4.add(c20, v128.load(c)); c21 = f32x4.add(c21, v128.load(c, 16)); c += ldc;
    c30 = f32x4.add(c30, v128.load(c)); c31 = f32x4.add(c31, v128.load(c, 16));
    c -= ldc * 3;
  }
  v128.store(c, c00); v128.store(c, c01, 16); c += ldc;
  v128.store(c, c10); v128.store(c, c11, 16); c += ldc;
  v128.store(c, c20); v128.store(c, c21, 16); c += ldc;
  v128.store(c, c30); v128.store(c, c31, 16);
}

// C[1 x 8] = row `ap` of an A panel (stride MR floats per k step) @ Bstrip: the rows of a tile that is
// short of MR (a batch of 1 to 3) cost a quarter of kernel4x8 each instead of a whole padded tile. Four
// k steps at a time into separate sums: one row has only two vectors of C, and a single chain of them
// would wait on the add's latency (as slow per k step as the whole 4 x 8 tile).
// @ts-ignore: decorator
@inline
function kernel1x8(ap: usize, bp: usize, kc: i32, c: usize): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), d0 = f32x4.splat(0), d1 = f32x4.splat(0);
  let e0 = f32x4.splat(0), e1 = f32x4.splat(0), f0 = f32x4.splat(0), f1 = f32x4.splat(0);
  let p = 0;
  for (; p + 4 <= kc; p += 4) {
    let a = v128.load32_splat(ap);
    c0 = madd(a, v128.load(bp), c0); c1 = madd(a, v128.load(bp, 16), c1);
    a = v128.load32_splat(ap, MR << 2);
    d0 = madd(a, v128.load(bp, 32), d0); d1 = madd(a, v128.load(bp, 48), d1);
    a = v128.load32_splat(ap, MR << 3);
    e0 = madd(a, v128.load(bp, 64), e0); e1 = madd(a, v128.load(bp, 80), e1);
    a = v128.load32_splat(ap, (MR << 3) + (MR << 2));
    f0 = madd(a, v128.load(bp, 96), f0); f1 = madd(a, v128.load(bp, 112), f1);
    ap += MR << 4;
    bp += 128;
  }
  for (; p < kc; p++) {
    const a = v128.load32_splat(ap);
    c0 = madd(a, v128.load(bp), c0); c1 = madd(a, v128.load(bp, 16), c1);
    ap += MR << 2;
    bp += 32;
  }
  v128.store(c, f32x4.add(f32x4.add(c0, d0), f32x4.add(e0, f0)));
  v128.store(c, f32x4.add(f32x4.add(c1, d1), f32x4.add(e1, f1)), 16);
}

/**
 * Packs all of op(B) once, for operands that stay resident (a layer's weights, engine/kernels/wasm_gemm.ts):
 * for each KC-deep block of rows, every 8-wide column panel in turn, so gemm with flag 8 finds the panels of
 * block (jc, pc) at b + (pc * nPad + jc * kc) floats and packs nothing. nPad is n rounded up to 8.
 */
export function packWholeB(dst: usize, b: usize, k: i32, n: i32, transB: bool): void {
  const nPad = (n + NR - 1) & ~(NR - 1);
  for (let pc = 0; pc < k; pc += KC) packB(dst + (<usize>pc * nPad << 2), b, k, n, transB, pc, min(KC, k - pc), 0, n);
}

/** Bytes packWholeB writes. */
export function packedBBytes(k: i32, n: i32): i32 {
  return k * ((n + NR - 1) & ~(NR - 1)) * 4;
}

/** Rows per micro-tile; the main thread splits work in multiples of it. */
export function microRows(): i32 {
  return MR;
}

/**
 * C rows [r0, r1) x columns [c0, c1) of C[m,n] (+)= op(A) @ op(B). Several threads may run disjoint
 * rectangles at once. flags: 1 transA, 2 transB, 4 accumulate, 8 b is packWholeB's layout (c0 a multiple
 * of 8). scratch: scratchBytes(), 16-aligned.
 */
export function gemm(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, flags: i32,
                     r0: i32, r1: i32, c0: i32, c1: i32, scratch: usize): void {
  const transA = (flags & 1) != 0;
  const transB = (flags & 2) != 0;
  const accumulate = (flags & 4) != 0;
  const prepacked = (flags & 8) != 0;
  const nPad = (n + NR - 1) & ~(NR - 1);
  const bpack = scratch;
  const apack = bpack + (<usize>KC * NC << 2);
  const tile = apack + (<usize>MR * KC << 2);
  const ldc = <usize>n << 2;
  if (k == 0) {
    if (!accumulate) {
      for (let i = r0; i < r1; i++) memory.fill(c + ((<usize>i * n + c0) << 2), 0, <usize>(c1 - c0) << 2);
    }
    return;
  }
  for (let jc = c0; jc < c1; jc += NC) {
    const nc = min(NC, c1 - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const addC = accumulate || pc > 0;
      const bblock = prepacked ? b + ((<usize>pc * nPad + <usize>jc * kc) << 2) : bpack;
      if (!prepacked) packB(bpack, b, k, n, transB, pc, kc, jc, nc);
      for (let ic = r0; ic < r1; ic += MR) {
        const h = min(MR, r1 - ic);
        packA(apack, a, m, k, transA, ic, h, pc, kc);
        for (let jr = 0; jr < nc; jr += NR) {
          const w = min(NR, nc - jr);
          const bp = bblock + (<usize>jr * kc << 2);
          const cp = c + ((<usize>ic * n + jc + jr) << 2);
          if (h == MR && w == NR) {
            kernel4x8(apack, bp, kc, cp, ldc, addC);
          } else {
            // Edge tile: compute it into scratch (only its h rows when short), then merge the valid part.
            if (h == MR) kernel4x8(apack, bp, kc, tile, NR << 2, false);
            else for (let r = 0; r < h; r++) kernel1x8(apack + (<usize>r << 2), bp, kc, tile + (<usize>r << 5));
            for (let r = 0; r < h; r++) {
              const dst = cp + <usize>r * ldc;
              const src = tile + (<usize>r << 5);
              for (let q = 0; q < w; q++) {
                const off = <usize>q << 2;
                const v = load<f32>(src + off);
                store<f32>(dst + off, addC ? load<f32>(dst + off) + v : v);
              }
            }
          }
        }
      }
    }
  }
}
