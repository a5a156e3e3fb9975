// Init functions produce the distributions PyTorch's formulas promise.
import test from 'node:test';
import assert from 'node:assert/strict';
import { init, manualSeed, nn, zeros, Tensor } from '../../engine';

function stats(t: Tensor): { mean: number; std: number; min: number; max: number } {
  const d = t.data;
  let s = 0;
  for (const v of d) s += v;
  const mean = s / d.length;
  let q = 0;
  for (const v of d) q += (v - mean) ** 2;
  let min = Infinity;
  let max = -Infinity;
  for (const v of d) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return { mean, std: Math.sqrt(q / (d.length - 1)), min, max };
}

test('normal_ and uniform_ match their parameters', () => {
  manualSeed(10);
  const n = stats(init.normal_(zeros([200, 200]), 0.5, 0.01));
  assert.ok(Math.abs(n.mean - 0.5) < 0.0005 && Math.abs(n.std - 0.01) < 0.0005, JSON.stringify(n));
  const u = stats(init.uniform_(zeros([200, 200]), -10, 10));
  assert.ok(u.min >= -10 && u.max < 10 && Math.abs(u.mean) < 0.1 && Math.abs(u.std - 20 / Math.sqrt(12)) < 0.05, JSON.stringify(u));
});

test('constant_, zeros_, ones_ fill', () => {
  assert.ok(init.constant_(zeros([3, 3]), 42).data.every((v) => v === 42));
  assert.ok(init.ones_(zeros([4])).data.every((v) => v === 1));
  assert.ok(init.zeros_(init.ones_(zeros([4]))).data.every((v) => v === 0));
});

test('xavier and kaiming use fan in/out and gains', () => {
  manualSeed(11);
  const w = zeros([300, 500]); // fan_out = 300, fan_in = 500
  const xu = stats(init.xavierUniform_(w));
  const bound = Math.sqrt(6 / 800);
  assert.ok(xu.max <= bound && xu.min >= -bound && Math.abs(xu.std - bound / Math.sqrt(3)) < 0.002, JSON.stringify(xu));
  const xn = stats(init.xavierNormal_(w, 2));
  assert.ok(Math.abs(xn.std - 2 * Math.sqrt(2 / 800)) < 0.002, JSON.stringify(xn));
  const kn = stats(init.kaimingNormal_(w, { nonlinearity: 'relu' }));
  assert.ok(Math.abs(kn.std - Math.sqrt(2 / 500)) < 0.002, JSON.stringify(kn));
  const ku = stats(init.kaimingUniform_(w, { mode: 'fan_out', nonlinearity: 'relu' }));
  assert.ok(Math.abs(ku.max - Math.sqrt(6 / 300)) < 0.002, JSON.stringify(ku));
  assert.throws(() => init.xavierUniform_(zeros([5])), /fewer than 2 dimensions \(shape \[5\]\)/);
});

test('calculateGain matches torch.nn.init.calculate_gain', () => {
  assert.equal(init.calculateGain('tanh'), 5 / 3);
  assert.equal(init.calculateGain('relu'), Math.SQRT2);
  assert.equal(init.calculateGain('sigmoid'), 1);
  assert.ok(Math.abs(init.calculateGain('leaky_relu', 0.2) - Math.sqrt(2 / 1.04)) < 1e-12);
});

test("Linear's default init is U(±1/sqrt(fan_in)) for weight and bias", () => {
  manualSeed(12);
  const layer = new nn.Linear(400, 300);
  const w = stats(layer.weight);
  const b = stats(layer.bias!);
  const bound = 1 / Math.sqrt(400);
  assert.ok(w.max <= bound && w.min >= -bound && Math.abs(w.std - bound / Math.sqrt(3)) < 0.001, JSON.stringify(w));
  assert.ok(b.max <= bound && b.min >= -bound, JSON.stringify(b));
  assert.ok(w.max > 0.95 * bound && w.min < -0.95 * bound);
});

test('the same seed gives the same weights', () => {
  manualSeed(7);
  const a = new nn.Linear(3, 3).weight.data.slice();
  manualSeed(7);
  const b = new nn.Linear(3, 3).weight.data.slice();
  manualSeed(8);
  const c = new nn.Linear(3, 3).weight.data.slice();
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});
