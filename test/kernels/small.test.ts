// The wasm kernels for small tensors (engine/kernels/small.ts, assembly/small.ts) against the scalar
// JavaScript they replace (tanh and the products bit for bit: same formulas in float64) and against
// float64 references (accuracy; the logistic loss runs exp/log1p in float32 lanes), over wide input
// ranges, special values and lengths that are not multiples of the vector width.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bceWithLogitsBackwardInto,
  bceWithLogitsSum,
  smallKernelsAvailable,
  smallLinearBackward,
  smallLinearForwardInto,
  smallMatmulInto,
  tanhBackwardInto,
  tanhInto,
} from '../../engine/kernels/small';
import { tanhScalar } from '../../engine/ops/tanh';
import { expNonPositive, log1pUnit } from '../../engine/ops/fastmath';
import { tanh as tanhOp } from '../../engine/ops/tanh';
import { bceWithLogitsLoss } from '../../engine/ops/bce_with_logits';
import { linear } from '../../engine/ops/linear';
import { Tensor } from '../../engine/tensor';
import { seeded } from '../helpers/seeded';

const SPECIAL = [
  0,
  -0,
  1e-45,
  -1e-45,
  1e-38,
  -1e-38,
  1e-8,
  -1e-8,
  0.0003999,
  0.0004,
  -0.0004,
  0.5,
  -0.5,
  1,
  -1,
  2.5,
  -2.5,
  7.9053,
  -7.9053,
  7.906,
  -7.906,
  9,
  -9,
  20,
  -20,
  88,
  -88,
  100,
  -100,
  744.9,
  -744.9,
  745,
  -745,
  745.2,
  -745.2,
  746,
  -746,
  1000,
  -1000,
  1e30,
  -1e30,
  3.4e38,
  -3.4e38,
  Infinity,
  -Infinity,
  NaN,
];

/** Special values, then values log-uniform in magnitude from 1e-7 to 1e3 with random signs. */
function wideInputs(n: number, seed: number): Float32Array {
  const rnd = seeded(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = i < SPECIAL.length ? SPECIAL[i] : (rnd() < 0.5 ? -1 : 1) * Math.pow(10, -7 + 10 * rnd());
  }
  return x;
}

/** Moderate logits and labels in [0, 1] (hard 0/1 and soft). */
function labels(n: number, seed: number): Float32Array {
  const rnd = seeded(seed);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = i % 3 === 0 ? 0 : i % 3 === 1 ? 1 : rnd();
  return y;
}

function sameBits(got: Float32Array, want: Float32Array, what: string, inputs?: Float32Array): void {
  assert.equal(got.length, want.length);
  for (let i = 0; i < got.length; i++) {
    if (Object.is(got[i], want[i])) continue;
    assert.fail(`${what}[${i}] = ${got[i]}, want ${want[i]}${inputs ? ` (input ${inputs[i]})` : ''}`);
  }
}

const LENGTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 31, 401, 1603];

test('small kernels load', () => {
  assert.equal(smallKernelsAvailable(), true);
});

test('tanh: bit-identical to tanhScalar, including specials and odd lengths', () => {
  for (const n of [...LENGTHS, 40000 + 3]) {
    const x = wideInputs(n, n);
    const out = new Float32Array(n).fill(123);
    assert.equal(tanhInto(out, x), true);
    const want = new Float32Array(n);
    for (let i = 0; i < n; i++) want[i] = tanhScalar(x[i]);
    sameBits(out, want, `tanh n=${n}`, x);
  }
});

test('tanh: within 2.5e-7 of float64 Math.tanh; NaN propagates; odd function; -0 kept', () => {
  const x = wideInputs(200003, 7);
  const out = new Float32Array(x.length);
  tanhInto(out, x);
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i])) {
      assert.ok(Number.isNaN(out[i]));
      continue;
    }
    worst = Math.max(worst, Math.abs(out[i] - Math.tanh(x[i])));
  }
  assert.ok(worst <= 2.5e-7, `max abs error ${worst}`);
  const neg = new Float32Array(x.length);
  tanhInto(
    neg,
    x.map((v) => -v),
  );
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i])) assert.ok(Object.is(neg[i], -out[i]) || (neg[i] === 0 && out[i] === 0));
  const z = new Float32Array(20);
  z[3] = -0;
  const zo = new Float32Array(20);
  tanhInto(zo, z);
  assert.ok(Object.is(zo[3], -0));
});

test('tanh backward: bit-identical to g * (1 - y^2) in float64', () => {
  for (const n of LENGTHS) {
    const rnd = seeded(n + 1);
    const g = new Float32Array(n),
      y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      g[i] = (rnd() - 0.5) * 10;
      y[i] = i === 0 ? NaN : 2 * rnd() - 1;
    }
    const out = new Float32Array(n);
    assert.equal(tanhBackwardInto(out, g, y), true);
    const want = new Float32Array(n);
    for (let i = 0; i < n; i++) want[i] = g[i] * (1 - y[i] * y[i]);
    sameBits(out, want, `tanh backward n=${n}`);
  }
});

/** The JS path's loss per element and the float32 exp(-|x|) its backward used. */
function bceRefJs(x: Float32Array, y: Float32Array): { per: Float32Array; e: Float32Array } {
  const per = new Float32Array(x.length),
    e = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    const ev = expNonPositive(-Math.abs(v));
    e[i] = ev;
    per[i] = (v > 0 ? v : 0) - v * y[i] + log1pUnit(ev);
  }
  return { per, e };
}

const F32 = new Float32Array(1);
const I32 = new Int32Array(F32.buffer);
/** The spacing of float32 values at |v| (the smallest subnormal at 0). */
function ulp32(v: number): number {
  F32[0] = Math.abs(v);
  if (!Number.isFinite(F32[0])) return Infinity;
  const a = F32[0];
  I32[0] += 1;
  return F32[0] - a;
}

/** float64 references: the loss, and sigmoid(x) - y. */
function bceLoss64(v: number, y: number): number {
  return Math.max(v, 0) - v * y + Math.log1p(Math.exp(-Math.abs(v)));
}
function bceGrad64(v: number, y: number): number {
  return 1 / (1 + Math.exp(-v)) - y;
}

/** Kernel results within `ulps` float32 ulps of `want` (NaN where want is NaN, infinities exact). */
function closeUlps(got: number, want: number, scale: number, ulps: number, what: string): void {
  if (Number.isNaN(want)) {
    assert.ok(Number.isNaN(got), `${what}: ${got}, want NaN`);
    return;
  }
  if (!Number.isFinite(want)) {
    assert.equal(got, want, what);
    return;
  }
  const err = Math.abs(got - want) / ulp32(scale);
  if (!(err <= ulps)) assert.fail(`${what}: ${got}, want ${want} (${err.toFixed(2)} ulps)`);
}

// exp and log1p run in float32 lanes (within 1-2 ulps each) and the loss and gradient are combined in
// float64: measured over 2e6 random logits, at most 2.5 ulps for the loss and 2.2 ulps (of max(s, |s - y|))
// for the gradient. The JS path (and the kernels before) round once; the bounds below allow 3.
const LOSS_ULPS = 3;
const GRAD_ULPS = 3;

test('BCE with logits forward: per-element losses within 3 float32 ulps of float64; NaN, infinities, odd lengths', () => {
  for (const n of [...LENGTHS, 40000 + 1]) {
    const x = wideInputs(n, 3 * n),
      y = labels(n, n);
    const per = new Float32Array(n).fill(123);
    const sum = bceWithLogitsSum(x, y, per);
    assert.notEqual(sum, null);
    let s = 0;
    for (let i = 0; i < n; i++) {
      closeUlps(per[i], bceLoss64(x[i], y[i]), bceLoss64(x[i], y[i]), LOSS_ULPS, `loss n=${n} x=${x[i]} y=${y[i]}`);
      // Agrees with the JS path to the same bound.
      const js = bceRefJs(x.subarray(i, i + 1), y.subarray(i, i + 1)).per[0];
      closeUlps(per[i], js, js, LOSS_ULPS, `loss vs JS n=${n} x=${x[i]}`);
      s += per[i];
    }
    // The sum is of the float32 per-element values, in float64.
    if (Number.isNaN(s)) assert.ok(Number.isNaN(sum));
    else assert.ok(Math.abs((sum as number) - s) <= 1e-12 * Math.abs(s), `sum ${sum} vs ${s}`);
    assert.ok(Object.is(bceWithLogitsSum(x, y, null), sum));
  }
});

test('BCE with logits forward: accurate over 1e-7..1e3 logits, soft labels, finite for huge logits', () => {
  const x = wideInputs(200001, 11).map((v) => (Number.isFinite(v) ? v : 0));
  const y = labels(x.length, 12);
  const per = new Float32Array(x.length);
  bceWithLogitsSum(x, y, per);
  for (let i = 0; i < x.length; i++) {
    const want = bceLoss64(x[i], y[i]);
    assert.ok(Number.isFinite(per[i]), `x=${x[i]}`);
    closeUlps(per[i], want, want, LOSS_ULPS, `x=${x[i]} y=${y[i]}`);
  }
  // Deep in the tails: exp(-|x|) underflows gradually, then to 0, and log1p(e) = e there.
  const tail = new Float32Array([-87, -88, -90, -100, -103, -103.9, -104, -120, -1e4]);
  const z = new Float32Array(tail.length);
  const tailPer = new Float32Array(tail.length);
  bceWithLogitsSum(tail, z, tailPer);
  for (let i = 0; i < tail.length; i++) {
    const want = Math.exp(tail[i]);
    assert.ok(Math.abs(tailPer[i] - want) <= 2 * ulp32(want) + 1.5e-45, `x=${tail[i]}: ${tailPer[i]} vs ${want}`);
  }
});

test('BCE with logits backward: (sigmoid(x) - y) * factor * g within 3 ulps; per-element and scalar upstream', () => {
  for (const n of [...LENGTHS, 40000 + 5]) {
    const x = wideInputs(n, 5 * n),
      y = labels(n, n + 9);
    const rnd = seeded(n);
    const g = new Float32Array(n).map(() => rnd() * 2 - 1);
    for (const perElement of [false, true]) {
      const factor = 1 / n,
        scalar = 0.75;
      const out = new Float32Array(n).fill(123);
      assert.equal(bceWithLogitsBackwardInto(out, x, y, perElement ? g : null, factor, scalar), true);
      for (let i = 0; i < n; i++) {
        const up = factor * (perElement ? g[i] : scalar);
        const d = bceGrad64(x[i], y[i]);
        const sig = d + y[i];
        closeUlps(
          out[i],
          d * up,
          Math.max(Math.abs(sig), Math.abs(d)) * Math.abs(up),
          GRAD_ULPS,
          `grad n=${n} perElement=${perElement} x=${x[i]} y=${y[i]}`,
        );
      }
    }
  }
});

test('BCE with logits backward: sigmoid accurate over the whole range, no overflow', () => {
  const x = wideInputs(200001, 21).map((v) => (Number.isFinite(v) ? v : 0));
  const y = labels(x.length, 22);
  const out = new Float32Array(x.length);
  bceWithLogitsBackwardInto(out, x, y, null, 1, 1);
  for (let i = 0; i < x.length; i++) {
    const d = bceGrad64(x[i], y[i]);
    closeUlps(out[i], d, Math.max(Math.abs(d + y[i]), Math.abs(d)), GRAD_ULPS, `x=${x[i]} y=${y[i]}`);
  }
});

test('BCE with logits op: loss and gradient through the kernels agree with the JS path', () => {
  // From 16 values the op runs the kernels; the reference is the JS formula it used before.
  for (const n of [16, 17, 400, 1001]) {
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      const x = wideInputs(n, n + 1).map((v) => (Number.isFinite(v) ? Math.max(-50, Math.min(50, v)) : 0.5));
      const y = labels(n, n);
      const input = new Tensor(x, [n, 1], true),
        target = new Tensor(y, [n, 1]);
      const loss = bceWithLogitsLoss(input, target, reduction);
      const ref = bceRefJs(x, y);
      if (reduction === 'none') {
        for (let i = 0; i < n; i++) closeUlps(loss.data[i], ref.per[i], ref.per[i], LOSS_ULPS, `loss none [${i}]`);
      } else {
        let s = 0;
        for (let i = 0; i < n; i++) s += ref.per[i];
        const want = s * (reduction === 'mean' ? 1 / n : 1);
        assert.ok(Math.abs(loss.item() - want) <= 1e-6 * Math.abs(want), `loss ${reduction}: ${loss.item()} vs ${want}`);
      }
      (reduction === 'none' ? loss.sum() : loss).backward();
      const factor = reduction === 'mean' ? 1 / n : 1;
      for (let i = 0; i < n; i++) {
        const s = x[i] >= 0 ? 1 / (1 + ref.e[i]) : ref.e[i] / (1 + ref.e[i]);
        const want = (s - y[i]) * factor;
        closeUlps(input.grad!.data[i], want, Math.max(s, Math.abs(s - y[i])) * factor, GRAD_ULPS + 1, `grad ${reduction} n=${n} [${i}]`);
      }
    }
  }
});

/** float64 sums over p in order from 0, rounded once (the scalar JS contract), with optional accumulate. */
function matmulRef(
  out: Float32Array,
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
  tA: boolean,
  tB: boolean,
  acc: boolean,
): Float32Array {
  const r = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (tA ? a[p * m + i] : a[i * k + p]) * (tB ? b[j * k + p] : b[p * n + j]);
      r[i * n + j] = acc ? out[i * n + j] + s : s;
    }
  }
  return r;
}

test('small matmul: float64 sums in order, rounded once, for every transpose and odd shapes', () => {
  const shapes = [
    [1, 1, 1],
    [1, 3, 1],
    [3, 1, 5],
    [4, 2, 4],
    [5, 3, 3],
    [7, 5, 2],
    [9, 4, 7],
    [400, 2, 4],
    [400, 4, 1],
    [400, 1, 4],
    [1, 400, 4],
    [4, 400, 2],
    [3, 401, 5],
    [6, 9, 10],
    [13, 2, 1],
    [9, 70, 60],
    [10, 3, 1],
  ];
  for (const [m, k, n] of shapes) {
    for (const tA of [false, true]) {
      for (const tB of [false, true]) {
        for (const acc of [false, true]) {
          const rnd = seeded(m * 1000 + k * 10 + n);
          const a = new Float32Array(m * k).map(() => rnd() * 4 - 2);
          const b = new Float32Array(k * n).map(() => rnd() * 4 - 2);
          const init = new Float32Array(m * n).map(() => rnd() - 0.5);
          const out = acc ? init.slice() : new Float32Array(m * n).fill(NaN);
          assert.equal(smallMatmulInto(out, a, b, m, k, n, tA, tB, acc), true);
          sameBits(out, matmulRef(init, a, b, m, k, n, tA, tB, acc), `${m}x${k}x${n} tA=${tA} tB=${tB} acc=${acc}`);
        }
      }
    }
  }
});

test('small linear: forward and the three backward products match their definitions', () => {
  // [50, 3, 9] and [20, 5, 12] also convert x to float64 for g^T @ x (9 or 12 output rows).
  for (const [m, k, n] of [
    [400, 2, 4],
    [400, 4, 1],
    [7, 3, 5],
    [1, 1, 1],
    [33, 6, 2],
    [50, 3, 9],
    [20, 5, 12],
  ]) {
    const rnd = seeded(m + 7 * k + 31 * n);
    const x = new Float32Array(m * k).map(() => rnd() * 2 - 1);
    const w = new Float32Array(n * k).map(() => rnd() * 2 - 1);
    const bias = new Float32Array(n).map(() => rnd() - 0.5);
    const g = new Float32Array(m * n).map(() => rnd() - 0.5);
    for (const withBias of [true, false]) {
      const out = new Float32Array(m * n).fill(NaN);
      assert.equal(smallLinearForwardInto(out, x, w, withBias ? bias : null, m, k, n), true);
      const want = matmulRef(out, x, w, m, k, n, false, true, false);
      if (withBias) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) want[i * n + j] += bias[j];
      sameBits(out, want, `linear forward ${m}x${k}x${n}`);
    }
    const gx = new Float32Array(m * k),
      gw = new Float32Array(n * k),
      gb = new Float32Array(n);
    assert.equal(smallLinearBackward(g, x, w, m, k, n, gx, gw, gb), true);
    sameBits(gx, matmulRef(gx, g, w, m, n, k, false, false, false), 'gx');
    sameBits(gw, matmulRef(gw, g, x, n, m, k, true, false, false), 'gw');
    const wantB = new Float32Array(n);
    for (let r = 0; r < m; r++) for (let j = 0; j < n; j++) wantB[j] += g[r * n + j];
    sameBits(gb, wantB, 'gb');
    // Any subset may be asked for.
    const gw2 = new Float32Array(n * k);
    assert.equal(smallLinearBackward(g, x, w, m, k, n, null, gw2, null), true);
    sameBits(gw2, gw, 'gw alone');
  }
});

test('tanh and linear ops: results of the wasm path equal the scalar definitions', () => {
  const rnd = seeded(99);
  const x = new Tensor(
    new Float32Array(400 * 2).map(() => rnd() * 4 - 2),
    [400, 2],
    true,
  );
  const w = new Tensor(
    new Float32Array(4 * 2).map(() => rnd() - 0.5),
    [4, 2],
    true,
  );
  const b = new Tensor(
    new Float32Array(4).map(() => rnd() - 0.5),
    [4],
    true,
  );
  const h = linear(x, w, b);
  const want = matmulRef(h.data, x.data, w.data, 400, 2, 4, false, true, false);
  for (let i = 0; i < 400; i++) for (let j = 0; j < 4; j++) want[i * 4 + j] += b.data[j];
  sameBits(h.data, want, 'linear');
  const t = tanhOp(h);
  sameBits(
    t.data,
    h.data.map((v) => tanhScalar(v)),
    'tanh op',
  );
  t.sum().backward();
  const gh = t.data.map((v) => 1 * (1 - v * v));
  const gb = new Float32Array(4);
  for (let i = 0; i < 400; i++) for (let j = 0; j < 4; j++) gb[j] += gh[i * 4 + j];
  sameBits(b.grad!.data, gb, 'bias grad');
  sameBits(w.grad!.data, matmulRef(new Float32Array(8), gh, x.data, 4, 400, 2, true, false, false), 'weight grad');
  sameBits(x.grad!.data, matmulRef(new Float32Array(800), gh, w.data, 400, 4, 2, false, false, false), 'input grad');
});
