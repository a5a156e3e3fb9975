// Kernels for small tensors, where a training step is a handful of tiny ops and scalar JavaScript's cost
// per element (bounds checks, float32 <-> float64 conversions, no SIMD) dominates: activations and the
// logistic loss elementwise, and thin matrix products (the spiral net's 400x2 @ 2x4 and its backward).
//
// tanh and the products compute in float64 (f64x2 lanes), with the same formulas, constants and order
// of operations as the scalar JavaScript they replace (engine/ops/tanh.ts, engine/kernels/matmul.ts),
// rounding to float32 where that code stores into a Float32Array: their results match it bit for bit.
// The logistic loss runs exp and log1p in float32 lanes (four at a time, within 1-2 ulps each) and
// combines in float64: its results are within 3 float32 ulps of float64 (test/kernels/small.test.ts).
//
// Memory is imported and shared with the gemm module (engine/kernels/wasm_gemm.ts). This module has no
// static data and no state: callers pass every address.

// ---- helpers -----------------------------------------------------------------------------------------

// @ts-ignore: decorator
@inline function splat(v: f64): v128 {
  return f64x2.splat(v);
}

/** Two consecutive float32 values at p, as float64 lanes. */
// @ts-ignore: decorator
@inline function load2(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

/** Rounds both lanes to float32 and stores them at p. */
// @ts-ignore: decorator
@inline function store2(p: usize, v: v128): void {
  v128.store64_lane(p, f32x4.demote_f64x2_zero(v), 0);
}

/** One float32 at p in lane 0 (lane 1 zero). */
// @ts-ignore: decorator
@inline function load1(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load32_zero(p));
}

// @ts-ignore: decorator
@inline function store1(p: usize, v: v128): void {
  v128.store32_lane(p, f32x4.demote_f64x2_zero(v), 0);
}

// ---- constants ---------------------------------------------------------------------------------------
// The elementwise kernels load their constants from tables, one instruction each (v128.load64_splat /
// load32_splat): V8 builds a splatted immediate with three and does not hoist it out of a loop. The
// tables are this module's only static data; --memoryBase in scripts/build-wasm.mjs places them inside
// the low 64 KiB that wasm_gemm.ts leaves to the modules, clear of the arena.

const K: usize = memory.data<f64>([
  7.90531110763549805,
  -7.90531110763549805,
  -2.76076847742355e-16,
  2.00018790482477e-13,
  -8.60467152213735e-11,
  5.12229709037114e-8,
  1.48572235717979e-5,
  6.37261928875436e-4,
  4.89352455891786e-3,
  1.19825839466702e-6,
  1.18534705686654e-4,
  2.268434632439e-3,
  4.89352518554385e-3,
  0.0004,
  1,
  0,
]);

// @ts-ignore: decorator
@inline const CLAMP: i32 = 0;
// @ts-ignore: decorator
@inline const NEG_CLAMP: i32 = 1;
// @ts-ignore: decorator
@inline const A13: i32 = 2;
// @ts-ignore: decorator
@inline const A11: i32 = 3;
// @ts-ignore: decorator
@inline const A9: i32 = 4;
// @ts-ignore: decorator
@inline const A7: i32 = 5;
// @ts-ignore: decorator
@inline const A5: i32 = 6;
// @ts-ignore: decorator
@inline const A3: i32 = 7;
// @ts-ignore: decorator
@inline const A1: i32 = 8;
// @ts-ignore: decorator
@inline const B6: i32 = 9;
// @ts-ignore: decorator
@inline const B4: i32 = 10;
// @ts-ignore: decorator
@inline const B2: i32 = 11;
// @ts-ignore: decorator
@inline const B0: i32 = 12;
// @ts-ignore: decorator
@inline const TINY: i32 = 13;
// @ts-ignore: decorator
@inline const ONE: i32 = 14;
// @ts-ignore: decorator
@inline const ZERO: i32 = 15;

// @ts-ignore: decorator
@inline function kc(i: i32): v128 {
  return v128.load64_splat(K + (<usize>i << 3));
}

// ---- tanh --------------------------------------------------------------------------------------------
// Eigen's rational approximation, as engine/ops/tanh.ts (tanhScalar) evaluates it in float64.

// @ts-ignore: decorator
@inline function tanh2(v: v128): v128 {
  // pmin/pmax return their first operand when it is NaN, so NaN propagates as in the JS clamp.
  const x = f64x2.pmax(f64x2.pmin(v, kc(CLAMP)), kc(NEG_CLAMP));
  const x2 = f64x2.mul(x, x);
  let p = f64x2.add(f64x2.mul(kc(A13), x2), kc(A11));
  p = f64x2.add(f64x2.mul(p, x2), kc(A9));
  p = f64x2.add(f64x2.mul(p, x2), kc(A7));
  p = f64x2.add(f64x2.mul(p, x2), kc(A5));
  p = f64x2.add(f64x2.mul(p, x2), kc(A3));
  p = f64x2.add(f64x2.mul(p, x2), kc(A1));
  p = f64x2.mul(x, p);
  let q = f64x2.add(f64x2.mul(kc(B6), x2), kc(B4));
  q = f64x2.add(f64x2.mul(q, x2), kc(B2));
  q = f64x2.add(f64x2.mul(q, x2), kc(B0));
  const r = f64x2.div(p, q);
  // |v| < 0.0004: tanh(v) = v to float32 precision (and -0 stays -0).
  return v128.bitselect(v, r, f64x2.lt(f64x2.abs(v), kc(TINY)));
}

/** y[i] = tanh(x[i]) for n float32 values; y may equal x. */
export function tanhF32(x: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const a = tanh2(load2(x + o));
    const b = tanh2(load2(x + o + 8));
    store2(y + o, a);
    store2(y + o + 8, b);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store1(y + o, tanh2(load1(x + o)));
  }
}

/** gx[i] = g[i] * (1 - y[i]^2): tanh's backward from its output y. gx may equal g or y. */
export function tanhBackwardF32(g: usize, y: usize, gx: usize, n: i32): void {
  const one = kc(ONE);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 2;
    const t = load2(y + o);
    store2(gx + o, f64x2.mul(load2(g + o), f64x2.sub(one, f64x2.mul(t, t))));
  }
  if (i < n) {
    const o = <usize>i << 2;
    const t = load1(y + o);
    store1(gx + o, f64x2.mul(load1(g + o), f64x2.sub(one, f64x2.mul(t, t))));
  }
}

// ---- logistic loss -----------------------------------------------------------------------------------
// exp and log1p in float32 lanes (four at a time: these two are most of a small classifier's loss
// cost), each within about 1-2 float32 ulps; the loss and gradient are then combined in float64 and
// rounded once, so that max(x,0) - x*y (which cancels for soft labels) and (s - y) lose nothing more.

const K32: usize = memory.data<f32>([
  -104,                 // below this, exp(x) rounds to 0 in float32
  1.4426950408889634,   // log2(e)
  0.693359375,          // ln 2, high part (exact in 9 bits: n * it is exact)
  -2.12194440e-4,       // ln 2 - high part
  1.9875691500e-4,      // Cephes expf polynomial for e^r - 1 - r, |r| <= ln2/2
  1.3981999507e-3,
  8.3334519073e-3,
  4.1665795894e-2,
  1.6666665459e-1,
  5.0000001201e-1,
  1,
  0.5,
  8388735,              // 2^23 + 127: an integer k added to it lands in the low mantissa bits
  2,
  0.07692307692307693,  // 1/13 ... 1/3: 2 atanh(s) = log((1+s)/(1-s)) series
  0.09090909090909091,
  0.1111111111111111,
  0.14285714285714285,
  0.2,
  0.3333333333333333,
  0,
]);

// @ts-ignore: decorator
@inline const F_EXP_MIN: i32 = 0;
// @ts-ignore: decorator
@inline const F_LOG2E: i32 = 1;
// @ts-ignore: decorator
@inline const F_LN2_HI: i32 = 2;
// @ts-ignore: decorator
@inline const F_LN2_LO: i32 = 3;
// @ts-ignore: decorator
@inline const F_P0: i32 = 4;
// @ts-ignore: decorator
@inline const F_ONE: i32 = 10;
// @ts-ignore: decorator
@inline const F_HALF: i32 = 11;
// @ts-ignore: decorator
@inline const F_MAGIC: i32 = 12;
// @ts-ignore: decorator
@inline const F_TWO: i32 = 13;
// @ts-ignore: decorator
@inline const F_INV13: i32 = 14;
// @ts-ignore: decorator
@inline const F_ZERO: i32 = 20;

// @ts-ignore: decorator
@inline function kf(i: i32): v128 {
  return v128.load32_splat(K32 + (<usize>i << 2));
}

/** e^a for a <= 0 in float32 lanes (Cephes expf), gradual underflow kept, NaN stays NaN. */
// @ts-ignore: decorator
@inline function exp4(a: v128): v128 {
  const under = f32x4.lt(a, kf(F_EXP_MIN));
  const x = f32x4.pmax(a, kf(F_EXP_MIN));
  const n = f32x4.nearest(f32x4.mul(x, kf(F_LOG2E)));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, kf(F_LN2_HI))), f32x4.mul(n, kf(F_LN2_LO)));
  let p = f32x4.add(f32x4.mul(kf(F_P0), r), kf(F_P0 + 1));
  p = f32x4.add(f32x4.mul(p, r), kf(F_P0 + 2));
  p = f32x4.add(f32x4.mul(p, r), kf(F_P0 + 3));
  p = f32x4.add(f32x4.mul(p, r), kf(F_P0 + 4));
  p = f32x4.add(f32x4.mul(p, r), kf(F_P0 + 5));
  p = f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), kf(F_ONE));
  // 2^n, n in [-150, 0], as 2^n1 * 2^n2 with both normal: p * 2^n1 is exact, so one rounding (into the
  // subnormals when it must). Each power is built by float arithmetic and a shift, no conversions.
  const n1 = f32x4.floor(f32x4.mul(n, kf(F_HALF)));
  const n2 = f32x4.sub(n, n1);
  const s1 = i32x4.shl(f32x4.add(n1, kf(F_MAGIC)), 23);
  const s2 = i32x4.shl(f32x4.add(n2, kf(F_MAGIC)), 23);
  return v128.andnot(f32x4.mul(f32x4.mul(p, s1), s2), under);
}

/** log(1 + e) for e in [0, 1] in float32 lanes: 2 atanh(s), s = e / (2 + e) <= 1/3. */
// @ts-ignore: decorator
@inline function log1p4(e: v128): v128 {
  const s = f32x4.div(e, f32x4.add(kf(F_TWO), e));
  const z = f32x4.mul(s, s);
  let t = f32x4.add(f32x4.mul(kf(F_INV13), z), kf(F_INV13 + 1));
  t = f32x4.add(f32x4.mul(t, z), kf(F_INV13 + 2));
  t = f32x4.add(f32x4.mul(t, z), kf(F_INV13 + 3));
  t = f32x4.add(f32x4.mul(t, z), kf(F_INV13 + 4));
  t = f32x4.add(f32x4.mul(t, z), kf(F_INV13 + 5));
  t = f32x4.mul(t, z);
  const s2 = f32x4.add(s, s);
  // 2s + 2s*t: the correction is small, so the result is about as accurate as s.
  return f32x4.add(s2, f32x4.mul(s2, t));
}

/** float32 lanes 2 and 3 of v as float64. */
// @ts-ignore: decorator
@inline function promoteHigh(v: v128): v128 {
  return f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 2, 3));
}

/** Two float64 pairs rounded to float32 and packed into one vector. */
// @ts-ignore: decorator
@inline function demote4(lo: v128, hi: v128): v128 {
  return i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/** Per-element losses for 4 lanes, rounded to float32: max(x,0) - x*y (float64) + log1p(exp(-|x|)). */
// @ts-ignore: decorator
@inline function bcePer4(xv: v128, yv: v128): v128 {
  const l = log1p4(exp4(f32x4.neg(f32x4.abs(xv))));
  const xl = f64x2.promote_low_f32x4(xv), xh = promoteHigh(xv);
  const yl = f64x2.promote_low_f32x4(yv), yh = promoteHigh(yv);
  // NaN > 0 is false: pmax(0, x) = 0 < x ? x : 0, as (v > 0 ? v : 0) in JS.
  const pl = f64x2.add(f64x2.sub(f64x2.pmax(kc(ZERO), xl), f64x2.mul(xl, yl)), f64x2.promote_low_f32x4(l));
  const ph = f64x2.add(f64x2.sub(f64x2.pmax(kc(ZERO), xh), f64x2.mul(xh, yh)), promoteHigh(l));
  return demote4(pl, ph);
}

/**
 * Per-element BCE-with-logits losses max(x,0) - x*y + log(1 + exp(-|x|)), each rounded to float32, stored
 * at per (unless per is 0) and summed in float64; returns the sum.
 */
export function bceLogitsForward(x: usize, y: usize, per: usize, n: i32): f64 {
  let acc = kc(ZERO);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const l = bcePer4(v128.load(x + o), v128.load(y + o));
    if (per != 0) v128.store(per + o, l);
    acc = f64x2.add(acc, f64x2.add(f64x2.promote_low_f32x4(l), promoteHigh(l)));
  }
  let sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const l = bcePer4(v128.load32_zero(x + o), v128.load32_zero(y + o));
    if (per != 0) v128.store32_lane(per + o, l, 0);
    sum += <f64>f32x4.extract_lane(l, 0);
  }
  return sum;
}

/** (sigmoid(x) - y) * factor * g for 4 lanes: sigmoid in float32, the rest in float64, rounded once. */
// @ts-ignore: decorator
@inline function bceGrad4(xv: v128, yv: v128, gl: v128, gh: v128, factor: v128): v128 {
  // sigmoid(x) = 1/(1+e) for x >= 0, e/(1+e) otherwise, with e = exp(-|x|): no overflow either way.
  const e = exp4(f32x4.neg(f32x4.abs(xv)));
  const s = f32x4.div(v128.bitselect(kf(F_ONE), e, f32x4.ge(xv, kf(F_ZERO))), f32x4.add(kf(F_ONE), e));
  const rl = f64x2.mul(f64x2.mul(f64x2.sub(f64x2.promote_low_f32x4(s), f64x2.promote_low_f32x4(yv)), factor), gl);
  const rh = f64x2.mul(f64x2.mul(f64x2.sub(promoteHigh(s), promoteHigh(yv)), factor), gh);
  return demote4(rl, rh);
}

/**
 * gx[i] = (sigmoid(x[i]) - y[i]) * factor * g[i], where g is the upstream gradient per element, or, when
 * g is 0, the single value scalar.
 */
export function bceLogitsBackward(x: usize, y: usize, g: usize, gx: usize, n: i32, factor: f64, scalar: f64): void {
  const f = f64x2.splat(factor);
  const sc = f64x2.splat(scalar);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const gv = g != 0 ? v128.load(g + o) : f32x4.splat(0);
    const gl = g != 0 ? f64x2.promote_low_f32x4(gv) : sc;
    const gh = g != 0 ? promoteHigh(gv) : sc;
    v128.store(gx + o, bceGrad4(v128.load(x + o), v128.load(y + o), gl, gh, f));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const gl = g != 0 ? load1(g + o) : sc;
    v128.store32_lane(gx + o, bceGrad4(v128.load32_zero(x + o), v128.load32_zero(y + o), gl, gl, f), 0);
  }
}

// ---- thin matrix products ----------------------------------------------------------------------------

/** Two float32 values at p and p + stride bytes, as float64 lanes. */
// @ts-ignore: decorator
@inline function pair(p: usize, stride: usize): v128 {
  if (stride == 4) return load2(p);
  return f64x2.replace_lane(f64x2.splat(<f64>load<f32>(p)), 1, <f64>load<f32>(p + stride));
}

/** The float32 at p, as float64 in both lanes. */
// @ts-ignore: decorator
@inline function splat1(p: usize): v128 {
  return f64x2.splat(<f64>load<f32>(p));
}

/** op(B)'s element at p (float32, or float64 once packed), in both lanes. */
// @ts-ignore: decorator
@inline function splatB<T>(p: usize): v128 {
  if (sizeof<T>() == 8) return v128.load64_splat(p);
  return splat1(p);
}

/** op(B)[p, j..j+1] at p and p + stride bytes, as float64 lanes. */
// @ts-ignore: decorator
@inline function pairB<T>(p: usize, stride: usize): v128 {
  if (sizeof<T>() == 8) {
    if (stride == 8) return v128.load(p);
    return f64x2.replace_lane(v128.load64_splat(p), 1, load<f64>(p + stride));
  }
  return pair(p, stride);
}

/** c = float32(v), or float32(c + v) when accumulating: as `out[o] = s` / `out[o] += s` in JS. */
// @ts-ignore: decorator
@inline function put(c: usize, v: f64, accumulate: bool): void {
  store<f32>(c, <f32>(accumulate ? <f64>load<f32>(c) + v : v));
}

/**
 * C[m,n] (+)= op(A) @ op(B), with op(A)[i,p] = a[i*asi + p*asp] and op(B)[p,j] = b[p*bsp + j*bsj] (float
 * indices). Each sum runs over p = 0..k-1 in float64 from 0 and is rounded once, as the scalar JS path in
 * engine/kernels/matmul.ts does. For the shapes that path is chosen for: small products with a thin side.
 * Blocks of 4 rows (two f64x2 lanes of op(A)) by 4, 2 or 1 columns; leftover rows one at a time.
 * pack: 0, or k*n*8 bytes of scratch to hold op(B) as float64 (worth it when op(B) is small and reused).
 */
export function gemmSmall(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32,
                          asi: i32, asp: i32, bsp: i32, bsj: i32, accumulate: i32, pack: usize): void {
  if (pack == 0) {
    gemmBlocks<f32>(a, b, c, m, k, n, asi, asp, bsp, bsj, accumulate);
    return;
  }
  // A small op(B) (a layer's weights) packed once as float64 rows: each use is then one splatting load.
  for (let p = 0; p < k; p++) {
    for (let j = 0; j < n; j++) {
      store<f64>(pack + (<usize>(p * n + j) << 3), <f64>load<f32>(b + (<usize>(p * bsp + j * bsj) << 2)));
    }
  }
  gemmBlocks<f64>(a, pack, c, m, k, n, asi, asp, n, 1, accumulate);
}

// @ts-ignore: decorator
@inline function gemmBlocks<T>(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32,
                                asi: i32, asp: i32, bsp: i32, bsj: i32, accumulate: i32): void {
  const acc = accumulate != 0;
  const ai = <usize>asi << 2, ap = <usize>asp << 2;
  const bp = <usize>bsp * sizeof<T>(), bj = <usize>bsj * sizeof<T>();
  const ldc = <usize>n << 2;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const arow = a + <usize>i * ai;
    const crow = c + <usize>i * ldc;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      let s00 = splat(0), s01 = splat(0), s02 = splat(0), s03 = splat(0);
      let s10 = splat(0), s11 = splat(0), s12 = splat(0), s13 = splat(0);
      let pa = arow, pb = b + <usize>j * bj;
      for (let p = 0; p < k; p++) {
        const r0 = pair(pa, ai), r1 = pair(pa + 2 * ai, ai);
        const b0 = splatB<T>(pb), b1 = splatB<T>(pb + bj), b2 = splatB<T>(pb + 2 * bj), b3 = splatB<T>(pb + 3 * bj);
        s00 = f64x2.add(s00, f64x2.mul(r0, b0)); s01 = f64x2.add(s01, f64x2.mul(r0, b1));
        s02 = f64x2.add(s02, f64x2.mul(r0, b2)); s03 = f64x2.add(s03, f64x2.mul(r0, b3));
        s10 = f64x2.add(s10, f64x2.mul(r1, b0)); s11 = f64x2.add(s11, f64x2.mul(r1, b1));
        s12 = f64x2.add(s12, f64x2.mul(r1, b2)); s13 = f64x2.add(s13, f64x2.mul(r1, b3));
        pa += ap;
        pb += bp;
      }
      const c0 = crow + (<usize>j << 2);
      if (!acc) {
        // Round each sum to float32 (demote), then transpose the 4x4 block into rows: one store per row.
        const t0 = i32x4.shuffle(f32x4.demote_f64x2_zero(s00), f32x4.demote_f64x2_zero(s01), 0, 4, 1, 5);
        const t1 = i32x4.shuffle(f32x4.demote_f64x2_zero(s02), f32x4.demote_f64x2_zero(s03), 0, 4, 1, 5);
        const t2 = i32x4.shuffle(f32x4.demote_f64x2_zero(s10), f32x4.demote_f64x2_zero(s11), 0, 4, 1, 5);
        const t3 = i32x4.shuffle(f32x4.demote_f64x2_zero(s12), f32x4.demote_f64x2_zero(s13), 0, 4, 1, 5);
        v128.store(c0, i32x4.shuffle(t0, t1, 0, 1, 4, 5));
        v128.store(c0 + ldc, i32x4.shuffle(t0, t1, 2, 3, 6, 7));
        v128.store(c0 + 2 * ldc, i32x4.shuffle(t2, t3, 0, 1, 4, 5));
        v128.store(c0 + 3 * ldc, i32x4.shuffle(t2, t3, 2, 3, 6, 7));
        continue;
      }
      put(c0, f64x2.extract_lane(s00, 0), acc); put(c0 + 4, f64x2.extract_lane(s01, 0), acc);
      put(c0 + 8, f64x2.extract_lane(s02, 0), acc); put(c0 + 12, f64x2.extract_lane(s03, 0), acc);
      const c1 = c0 + ldc;
      put(c1, f64x2.extract_lane(s00, 1), acc); put(c1 + 4, f64x2.extract_lane(s01, 1), acc);
      put(c1 + 8, f64x2.extract_lane(s02, 1), acc); put(c1 + 12, f64x2.extract_lane(s03, 1), acc);
      const c2 = c1 + ldc;
      put(c2, f64x2.extract_lane(s10, 0), acc); put(c2 + 4, f64x2.extract_lane(s11, 0), acc);
      put(c2 + 8, f64x2.extract_lane(s12, 0), acc); put(c2 + 12, f64x2.extract_lane(s13, 0), acc);
      const c3 = c2 + ldc;
      put(c3, f64x2.extract_lane(s10, 1), acc); put(c3 + 4, f64x2.extract_lane(s11, 1), acc);
      put(c3 + 8, f64x2.extract_lane(s12, 1), acc); put(c3 + 12, f64x2.extract_lane(s13, 1), acc);
    }
    for (; j + 2 <= n; j += 2) {
      let s00 = splat(0), s01 = splat(0), s10 = splat(0), s11 = splat(0);
      let pa = arow, pb = b + <usize>j * bj;
      for (let p = 0; p < k; p++) {
        const r0 = pair(pa, ai), r1 = pair(pa + 2 * ai, ai);
        const b0 = splatB<T>(pb), b1 = splatB<T>(pb + bj);
        s00 = f64x2.add(s00, f64x2.mul(r0, b0)); s01 = f64x2.add(s01, f64x2.mul(r0, b1));
        s10 = f64x2.add(s10, f64x2.mul(r1, b0)); s11 = f64x2.add(s11, f64x2.mul(r1, b1));
        pa += ap;
        pb += bp;
      }
      const c0 = crow + (<usize>j << 2);
      put(c0, f64x2.extract_lane(s00, 0), acc); put(c0 + 4, f64x2.extract_lane(s01, 0), acc);
      const c1 = c0 + ldc;
      put(c1, f64x2.extract_lane(s00, 1), acc); put(c1 + 4, f64x2.extract_lane(s01, 1), acc);
      const c2 = c1 + ldc;
      put(c2, f64x2.extract_lane(s10, 0), acc); put(c2 + 4, f64x2.extract_lane(s11, 0), acc);
      const c3 = c2 + ldc;
      put(c3, f64x2.extract_lane(s10, 1), acc); put(c3 + 4, f64x2.extract_lane(s11, 1), acc);
    }
    if (j < n) {
      let s0 = splat(0), s1 = splat(0);
      let pa = arow, pb = b + <usize>j * bj;
      for (let p = 0; p < k; p++) {
        const bv = splatB<T>(pb);
        s0 = f64x2.add(s0, f64x2.mul(pair(pa, ai), bv));
        s1 = f64x2.add(s1, f64x2.mul(pair(pa + 2 * ai, ai), bv));
        pa += ap;
        pb += bp;
      }
      const c0 = crow + (<usize>j << 2);
      if (n == 1 && !acc) {
        // A single column: the four rows are consecutive floats.
        v128.store(c0, i32x4.shuffle(f32x4.demote_f64x2_zero(s0), f32x4.demote_f64x2_zero(s1), 0, 1, 4, 5));
      } else {
        put(c0, f64x2.extract_lane(s0, 0), acc);
        put(c0 + ldc, f64x2.extract_lane(s0, 1), acc);
        put(c0 + 2 * ldc, f64x2.extract_lane(s1, 0), acc);
        put(c0 + 3 * ldc, f64x2.extract_lane(s1, 1), acc);
      }
    }
  }
  // Leftover rows, one at a time, two columns per vector.
  for (; i < m; i++) {
    const arow = a + <usize>i * ai;
    const crow = c + <usize>i * ldc;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      let s0 = splat(0), s1 = splat(0);
      let pa = arow, pb = b + <usize>j * bj;
      for (let p = 0; p < k; p++) {
        const av = splat1(pa);
        s0 = f64x2.add(s0, f64x2.mul(av, pairB<T>(pb, bj)));
        s1 = f64x2.add(s1, f64x2.mul(av, pairB<T>(pb + 2 * bj, bj)));
        pa += ap;
        pb += bp;
      }
      const c0 = crow + (<usize>j << 2);
      put(c0, f64x2.extract_lane(s0, 0), acc);
      put(c0 + 4, f64x2.extract_lane(s0, 1), acc);
      put(c0 + 8, f64x2.extract_lane(s1, 0), acc);
      put(c0 + 12, f64x2.extract_lane(s1, 1), acc);
    }
    for (; j + 2 <= n; j += 2) {
      let s = splat(0);
      let pa = arow, pb = b + <usize>j * bj;
      for (let p = 0; p < k; p++) {
        s = f64x2.add(s, f64x2.mul(splat1(pa), pairB<T>(pb, bj)));
        pa += ap;
        pb += bp;
      }
      const c0 = crow + (<usize>j << 2);
      put(c0, f64x2.extract_lane(s, 0), acc);
      put(c0 + 4, f64x2.extract_lane(s, 1), acc);
    }
    if (j < n) {
      let s: f64 = 0;
      let pa = arow, pb = b + <usize>j * bj;
      for (let p = 0; p < k; p++) {
        s += <f64>load<f32>(pa) * <f64>load<T>(pb);
        pa += ap;
        pb += bp;
      }
      put(crow + (<usize>j << 2), s, acc);
    }
  }
}

/** C[m,n] += bias[n] on every row, in float32 (as `out[o + j] += bias[j]` over a Float32Array). */
export function addRowBias(c: usize, bias: usize, m: i32, n: i32): void {
  const ldc = <usize>n << 2;
  if ((n & 3) == 0) {
    for (let i = 0; i < m; i++) {
      const row = c + <usize>i * ldc;
      for (let j = 0; j < n; j += 4) {
        const o = <usize>j << 2;
        v128.store(row + o, f32x4.add(v128.load(row + o), v128.load(bias + o)));
      }
    }
  } else if (n == 1) {
    const b = f32x4.splat(load<f32>(bias));
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const o = c + (<usize>i << 2);
      v128.store(o, f32x4.add(v128.load(o), b));
    }
    for (; i < m; i++) {
      const o = c + (<usize>i << 2);
      store<f32>(o, load<f32>(o) + load<f32>(bias));
    }
  } else {
    for (let i = 0; i < m; i++) {
      const row = c + <usize>i * ldc;
      for (let j = 0; j < n; j++) {
        const o = <usize>j << 2;
        store<f32>(row + o, load<f32>(row + o) + load<f32>(bias + o));
      }
    }
  }
}

/**
 * out[j] = sum over rows of G[m,n] column j, accumulated in float32 in row order (as the bias gradient
 * `gb[j] += g[o + j]` over a Float32Array does): vector lanes are columns, so the order is unchanged.
 */
export function columnSums(g: usize, out: usize, m: i32, n: i32): void {
  const ldg = <usize>n << 2;
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    let s = f32x4.splat(0);
    let p = g + (<usize>j << 2);
    for (let i = 0; i < m; i++) {
      s = f32x4.add(s, v128.load(p));
      p += ldg;
    }
    v128.store(out + (<usize>j << 2), s);
  }
  for (; j < n; j++) {
    let s: f32 = 0;
    let p = g + (<usize>j << 2);
    for (let i = 0; i < m; i++) {
      s += load<f32>(p);
      p += ldg;
    }
    store<f32>(out + (<usize>j << 2), s);
  }
}
