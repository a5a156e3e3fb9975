import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matmulInto, linearForwardInto, setMatmulThreads, warmUpThreads, kernelInfo } from '../../engine/kernels/matmul';
import { seeded as seededUnit } from '../helpers/seeded';

// Deterministic inputs so a failure reproduces, centred on 0.
function seeded(seed: number): () => number {
  const next = seededUnit(seed);
  return () => next() - 0.5;
}

function randArray(len: number, rnd: () => number): Float32Array {
  const x = new Float32Array(len);
  for (let i = 0; i < len; i++) x[i] = rnd();
  return x;
}

/** float64 reference plus, per element, sum |a||b| to scale the tolerance. */
function reference(a: Float32Array, b: Float32Array, m: number, k: number, n: number, tA: boolean, tB: boolean) {
  const out = new Float64Array(m * n),
    mag = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0,
        g = 0;
      for (let p = 0; p < k; p++) {
        const x = tA ? a[p * m + i] : a[i * k + p];
        const y = tB ? b[j * k + p] : b[p * n + j];
        s += x * y;
        g += Math.abs(x * y);
      }
      out[i * n + j] = s;
      mag[i * n + j] = g;
    }
  }
  return { out, mag };
}

function check(m: number, k: number, n: number, tA: boolean, tB: boolean, accumulate: boolean, seed = m * 131 + k * 17 + n): void {
  const rnd = seeded(seed);
  const a = randArray(m * k, rnd),
    b = randArray(k * n, rnd);
  const init = randArray(m * n, rnd);
  const out = accumulate ? init.slice() : new Float32Array(m * n).fill(Number.NaN); // NaN: every element must be written
  matmulInto(out, a, b, m, k, n, tA, tB, accumulate);
  const { out: ref, mag } = reference(a, b, m, k, n, tA, tB);
  for (let i = 0; i < m * n; i++) {
    const want = ref[i] + (accumulate ? init[i] : 0);
    const tol = 1e-5 * (mag[i] + (accumulate ? Math.abs(init[i]) : 0)) + 1e-30;
    if (!(Math.abs(out[i] - want) <= tol)) {
      assert.fail(`${m}x${k}x${n} transA=${tA} transB=${tB} accumulate=${accumulate}: out[${i}] = ${out[i]}, want ${want} (tol ${tol})`);
    }
  }
}

const combos: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

test('wasm kernels load', () => {
  const info = kernelInfo();
  assert.equal(info.wasm, true, `wasm unavailable: ${info.error}`);
});

test('degenerate sizes: 0 and 1 on every side', () => {
  for (const [tA, tB] of combos) {
    for (const acc of [false, true]) {
      for (const [m, k, n] of [
        [0, 3, 4],
        [3, 0, 4],
        [3, 4, 0],
        [0, 0, 0],
        [1, 1, 1],
        [1, 5, 1],
        [5, 1, 7],
        [1, 300, 1],
        [1, 64, 200],
        [200, 64, 1],
        [300, 1, 300],
      ]) {
        check(m, k, n, tA, tB, acc);
      }
    }
  }
});

test('k = 0 overwrites with zeros, or leaves out as is when accumulating', () => {
  for (const [m, n] of [
    [3, 4],
    [40, 50],
  ]) {
    const out = new Float32Array(m * n).fill(7);
    matmulInto(out, new Float32Array(0), new Float32Array(0), m, 0, n);
    assert.ok(out.every((v) => v === 0));
    out.fill(7);
    matmulInto(out, new Float32Array(0), new Float32Array(0), m, 0, n, false, false, true);
    assert.ok(out.every((v) => v === 7));
  }
});

test('small and odd sizes (scalar path and wasm edge tiles)', () => {
  for (const [tA, tB] of combos) {
    for (const acc of [false, true]) {
      for (const [m, k, n] of [
        [2, 3, 4],
        [7, 13, 5],
        [400, 2, 4],
        [400, 4, 1],
        [4, 400, 2],
        [17, 19, 23],
        [67, 129, 33],
        [33, 67, 129],
        [5, 300, 9],
        [129, 7, 67],
        // 1 to 3 rows short of a micro-tile, large enough for the blocked gemm (its one-row kernel).
        [2, 300, 200],
        [3, 300, 53],
        [6, 260, 40],
      ]) {
        check(m, k, n, tA, tB, acc);
      }
    }
  }
});

test('sizes crossing the kernel blocking (k > 256, n > 512, partial tiles)', () => {
  for (const [tA, tB] of combos) check(37, 601, 521, tA, tB, tA);
  check(9, 1030, 13, false, false, false);
});

test('threaded path gives the same numbers as one thread', () => {
  setMatmulThreads(2);
  const ready = warmUpThreads(5000);
  assert.equal(ready, 1, 'the worker thread should start');
  for (const [tA, tB] of combos) {
    for (const acc of [false, true]) check(300, 500, 400, tA, tB, acc, 99);
  }
  // Split by columns (n > m) as well as by rows.
  check(30, 200, 700, false, true, false);
  check(66, 784, 512, true, false, true);
  // Results must not depend on the split: compare threaded against single-threaded bit for bit.
  const rnd = seeded(5);
  const a = randArray(300 * 500, rnd),
    b = randArray(500 * 400, rnd);
  const multi = new Float32Array(300 * 400),
    single = new Float32Array(300 * 400);
  matmulInto(multi, a, b, 300, 500, 400);
  setMatmulThreads(1);
  matmulInto(single, a, b, 300, 500, 400);
  setMatmulThreads(2);
  assert.deepEqual(multi, single);
});

test('inputs longer than needed are read only as far as m, k, n say', () => {
  const rnd = seeded(11);
  const a = randArray(70 * 80 + 10, rnd),
    b = randArray(80 * 90 + 10, rnd);
  const out = new Float32Array(70 * 90);
  matmulInto(out, a, b, 70, 80, 90);
  const { out: ref } = reference(a, b, 70, 80, 90, false, false);
  for (let i = 0; i < out.length; i++) assert.ok(Math.abs(out[i] - ref[i]) < 1e-4);
});

test('linearForwardInto = x @ w^T + bias', () => {
  for (const [m, k, n] of [
    [400, 2, 4],
    [64, 784, 512],
    [3, 5, 2],
  ]) {
    const rnd = seeded(m + k + n);
    const x = randArray(m * k, rnd),
      w = randArray(n * k, rnd),
      bias = randArray(n, rnd);
    const { out: ref, mag } = reference(x, w, m, k, n, false, true);
    for (const withBias of [true, false]) {
      const out = new Float32Array(m * n).fill(Number.NaN);
      linearForwardInto(out, x, w, withBias ? bias : null, m, k, n);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          const want = ref[i * n + j] + (withBias ? bias[j] : 0);
          assert.ok(Math.abs(out[i * n + j] - want) <= 1e-5 * (mag[i * n + j] + 1), `${m}x${k}x${n} [${i},${j}]`);
        }
      }
    }
  }
});

test('back-to-back threaded products with accumulate: no chunk lost or run twice', () => {
  setMatmulThreads(2);
  warmUpThreads(5000);
  const rnd = seeded(123);
  for (let t = 0; t < 150; t++) {
    const m = 20 + Math.floor((rnd() + 0.5) * 150),
      k = 30 + Math.floor((rnd() + 0.5) * 150),
      n = 20 + Math.floor((rnd() + 0.5) * 150);
    const tA = rnd() > 0,
      tB = rnd() > 0;
    const a = randArray(m * k, rnd),
      b = randArray(k * n, rnd),
      init = randArray(m * n, rnd);
    const multi = init.slice(),
      single = init.slice();
    matmulInto(multi, a, b, m, k, n, tA, tB, true);
    setMatmulThreads(1);
    matmulInto(single, a, b, m, k, n, tA, tB, true);
    setMatmulThreads(2);
    assert.deepEqual(multi, single, `${m}x${k}x${n} transA=${tA} transB=${tB}`);
  }
});
