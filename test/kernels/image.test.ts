// The wasm kernels of the image layers (engine/kernels/conv2d.ts, image.ts, assembly/image.ts) against
// their TypeScript references: convolution forward and both gradients (within float32 rounding of the
// GEMM's different blocking; the column matrices are exact), max pooling and batch norm bit for bit.
// Geometries cover odd sizes, strides, padding (including one-sided 'same'), dilation, groups, kernels
// larger than a stride, batches split into several column chunks, and NaN / -Infinity inputs. Forwards
// with width stride 1 take the direct kernel (assembly/image.ts's convDirect), the others im2col + GEMM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  conv2dBackwardReference,
  conv2dBackwardResident,
  conv2dForwardReference,
  conv2dForwardResident,
  convKernelsAvailable,
  type ConvProblem,
} from '../../engine/kernels/conv2d';
import {
  batchNormBackwardInPlace,
  batchNormForwardInto,
  imageKernelsAvailable,
  maxPool2dInto,
  maxPoolBackwardInto,
} from '../../engine/kernels/image';
import { maxPoolPlanes } from '../../engine/ops/pool';
import { batchNormBackwardPasses, batchNormPasses } from '../../engine/ops/normalization';
import { seeded } from '../helpers/seeded';

function random(n: number, seed: number): Float32Array {
  const rnd = seeded(seed);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = 2 * rnd() - 1;
  return a;
}

/** Largest |a - b| relative to the largest |b| (1 when b is all zeros). */
function relErr(a: Float32Array, b: Float32Array): number {
  let d = 0,
    m = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  return d / Math.max(m, 1);
}

interface Case {
  n: number;
  c: number;
  o: number;
  groups: number;
  h: number;
  w: number;
  k: [number, number];
  s: [number, number];
  p: [number, number];
  d: [number, number];
  padAfter?: [number, number];
}

const CASES: Case[] = [
  { n: 3, c: 1, o: 4, groups: 1, h: 7, w: 9, k: [3, 3], s: [1, 1], p: [1, 1], d: [1, 1] },
  { n: 2, c: 6, o: 4, groups: 2, h: 11, w: 8, k: [3, 2], s: [2, 3], p: [1, 0], d: [1, 2] },
  { n: 5, c: 3, o: 5, groups: 1, h: 9, w: 9, k: [5, 5], s: [1, 1], p: [2, 2], d: [1, 1] },
  { n: 1, c: 4, o: 8, groups: 4, h: 6, w: 13, k: [1, 3], s: [1, 2], p: [0, 3], d: [2, 1] },
  // PyTorch's 'same' with an even kernel pads one more after than before.
  { n: 2, c: 2, o: 3, groups: 1, h: 8, w: 5, k: [4, 2], s: [1, 1], p: [1, 0], d: [1, 1], padAfter: [2, 1] },
  // Stride larger than the kernel: some inputs are never read.
  { n: 4, c: 2, o: 2, groups: 1, h: 10, w: 10, k: [2, 2], s: [3, 3], p: [0, 1], d: [1, 1] },
  // Width stride 1 runs the direct kernel (no column matrix): groups of 3 output channels (a partial block
  // of 4), a height stride, width dilation, 13 columns (a partial tile of 8), and a 1x1 convolution.
  { n: 2, c: 4, o: 6, groups: 2, h: 9, w: 13, k: [3, 3], s: [2, 1], p: [2, 2], d: [1, 2] },
  { n: 3, c: 5, o: 9, groups: 1, h: 4, w: 17, k: [1, 1], s: [1, 1], p: [0, 0], d: [1, 1] },
  // 32,400 column values per sample: 150 samples split into two column chunks (COLS_LIMIT, 4M values).
  { n: 150, c: 16, o: 8, groups: 1, h: 15, w: 15, k: [3, 3], s: [1, 1], p: [1, 1], d: [1, 1] },
];

function problem(t: Case): ConvProblem {
  const [kh, kw] = t.k,
    [sh, sw] = t.s,
    [ph, pw] = t.p,
    [dh, dw] = t.d;
  const [ah, aw] = t.padAfter ?? t.p;
  const outH = Math.floor((t.h + ph + ah - dh * (kh - 1) - 1) / sh) + 1;
  const outW = Math.floor((t.w + pw + aw - dw * (kw - 1) - 1) / sw) + 1;
  return { n: t.n, groups: t.groups, o: t.o, geo: { channels: t.c / t.groups, height: t.h, width: t.w, kh, kw, sh, sw, ph, pw, dh, dw, outH, outW } };
}

test('the wasm image kernels load (npm run build:wasm built assembly/image.ts)', () => {
  assert.equal(convKernelsAvailable(), true);
  assert.equal(imageKernelsAvailable(), true);
});

test('conv2d in wasm memory matches the TypeScript im2col + GEMM reference: forward, input and weight gradients', () => {
  CASES.forEach((t, i) => {
    const p = problem(t);
    const { geo } = p;
    const x = random(t.n * t.c * t.h * t.w, 10 + i);
    const wt = random(t.o * geo.channels * geo.kh * geo.kw, 20 + i);
    const l = geo.outH * geo.outW;
    const ref = new Float32Array(t.n * t.o * l).fill(NaN),
      got = new Float32Array(ref.length).fill(NaN);
    conv2dForwardReference(ref, x, wt, p);
    assert.equal(conv2dForwardResident(got, x, wt, p), true);
    assert.ok(relErr(got, ref) < 1e-6, `case ${i} forward: relative error ${relErr(got, ref)}`);
    const g = random(ref.length, 30 + i);
    // Gradients accumulate into what is there: start both from the same non-zero values.
    const seedX = random(x.length, 40 + i),
      seedW = random(wt.length, 50 + i);
    const gxRef = seedX.slice(),
      gwRef = seedW.slice(),
      gxGot = seedX.slice(),
      gwGot = seedW.slice();
    conv2dBackwardReference(g, x, wt, p, gxRef, gwRef);
    assert.equal(conv2dBackwardResident(g, x, wt, p, gxGot, gwGot), true);
    assert.ok(relErr(gxGot, gxRef) < 1e-6, `case ${i} input gradient: relative error ${relErr(gxGot, gxRef)}`);
    assert.ok(relErr(gwGot, gwRef) < 1e-5, `case ${i} weight gradient: relative error ${relErr(gwGot, gwRef)}`);
    // Each gradient alone is the same as both together.
    const gxOnly = seedX.slice();
    assert.equal(conv2dBackwardResident(g, x, wt, p, gxOnly, null), true);
    assert.deepEqual(gxOnly, gxGot);
    const gwOnly = seedW.slice();
    assert.equal(conv2dBackwardResident(g, x, wt, p, null, gwOnly), true);
    assert.deepEqual(gwOnly, gwGot);
  });
});

test('max pooling in wasm equals the TypeScript loop bit for bit, argmax included, with NaN, -Infinity and padding', () => {
  const windows = [
    { kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0, dh: 1, dw: 1, h: 8, w: 6 },
    { kh: 3, kw: 2, sh: 2, sw: 1, ph: 1, pw: 1, dh: 1, dw: 2, h: 7, w: 9 },
    { kh: 3, kw: 3, sh: 3, sw: 3, ph: 1, pw: 1, dh: 1, dw: 1, h: 10, w: 10 }, // as ceilMode: the last window hangs over the end
  ];
  windows.forEach((win, i) => {
    const planes = 6;
    const outH = Math.ceil((win.h + 2 * win.ph - win.dh * (win.kh - 1) - 1) / win.sh) + 1;
    const outW = Math.ceil((win.w + 2 * win.pw - win.dw * (win.kw - 1) - 1) / win.sw) + 1;
    const x = random(planes * win.h * win.w, 60 + i);
    x[3] = NaN;
    x[17] = -Infinity;
    x[18] = -Infinity;
    x[40] = x[41];
    const full = { ...win, outH, outW };
    const ref = new Float32Array(planes * outH * outW),
      got = new Float32Array(ref.length);
    const ra = new Int32Array(ref.length),
      ga = new Int32Array(ref.length);
    maxPoolPlanes(x, planes, win.h, win.w, full, ref, ra);
    assert.equal(maxPool2dInto(x, planes, win.h, win.w, full, got, ga), true);
    assert.deepEqual(got, ref, `window ${i}`);
    assert.deepEqual(ga, ra, `window ${i} argmax`);
    const g = random(ref.length, 70 + i);
    const gxRef = new Float32Array(x.length),
      gxGot = new Float32Array(x.length);
    for (let q = 0; q < g.length; q++) gxRef[ra[q]] += g[q];
    assert.equal(maxPoolBackwardInto(g, ga, gxGot), true);
    assert.deepEqual(gxGot, gxRef, `window ${i} backward`);
  });
});

test('batch norm passes in wasm equal the TypeScript loops bit for bit: batch statistics, running statistics, input gradient', () => {
  for (const [n, c, inner] of [
    [4, 3, 25],
    [1, 5, 7],
    [16, 8, 49],
    [3, 2, 1],
  ]) {
    const x = random(n * c * inner, n + c);
    for (let i = 0; i < x.length; i++) x[i] = x[i] * 3 + 0.5; // off-centre, so the mean matters
    // Training: statistics from the batch.
    const ref = { mean: new Float64Array(c), sq: new Float64Array(c), rstd: new Float32Array(c), xhat: new Float32Array(x.length) };
    const got = { mean: new Float64Array(c), sq: new Float64Array(c), rstd: new Float32Array(c), xhat: new Float32Array(x.length) };
    batchNormPasses(x, n, c, inner, 1e-5, ref.mean, ref.sq, ref.rstd, ref.xhat);
    assert.equal(batchNormForwardInto(x, n, c, inner, 1e-5, got.mean, got.sq, got.rstd, got.xhat), true);
    assert.deepEqual(got, ref, `[${n}, ${c}, ${inner}] training forward`);
    // Evaluation: the given statistics.
    const mean = Float64Array.from({ length: c }, (_, i) => 0.1 * i - 0.2),
      rstd = Float32Array.from({ length: c }, (_, i) => 1 + 0.3 * i);
    const xr = new Float32Array(x.length),
      xg = new Float32Array(x.length);
    batchNormPasses(x, n, c, inner, null, mean, new Float64Array(c), rstd, xr);
    assert.equal(batchNormForwardInto(x, n, c, inner, null, mean.slice(), new Float64Array(c), rstd.slice(), xg), true);
    assert.deepEqual(xg, xr, `[${n}, ${c}, ${inner}] eval forward`);
    // Backward in training.
    const g = random(x.length, 90 + n);
    const gr = g.slice(),
      gg = g.slice();
    batchNormBackwardPasses(gr, ref.xhat, n, c, inner, ref.rstd);
    assert.equal(batchNormBackwardInPlace(gg, ref.xhat, n, c, inner, ref.rstd), true);
    assert.deepEqual(gg, gr, `[${n}, ${c}, ${inner}] backward`);
  }
});
