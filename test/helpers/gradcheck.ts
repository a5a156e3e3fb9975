/**
 * Compares the gradients autograd computes with central finite differences. The function's output is
 * contracted with fixed random weights, so every output element's gradient is checked at once; the
 * numerical side sums in float64 so only the float32 forward limits its accuracy.
 */
import assert from 'node:assert/strict';
import { Tensor, noGrad, randn, Generator } from '../../engine';

export interface GradcheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Called before every evaluation, e.g. to reseed a generator so random ops repeat. */
  before?: () => void;
}

export function gradcheck(name: string, f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], options: GradcheckOptions = {}): void {
  const { eps = 1e-2, atol = 3e-3, rtol = 1e-2, before = () => {} } = options;
  for (const x of inputs) {
    x.requiresGrad = true;
    x.grad = null;
  }
  before();
  const out = f(...inputs);
  const w = randn(out.shape, { generator: new Generator(1234) });
  out.backward(w);
  const contract = (): number => {
    before();
    const y = noGrad(() => f(...inputs));
    let s = 0;
    for (let i = 0; i < y.data.length; i++) s += y.data[i] * w.data[i];
    return s;
  };
  inputs.forEach((x, k) => {
    assert.ok(x.grad !== null, `${name}: input ${k} got no gradient`);
    const analytic = x.grad.data;
    for (let i = 0; i < x.data.length; i++) {
      const orig = x.data[i];
      x.data[i] = orig + eps;
      const fp = contract();
      x.data[i] = orig - eps;
      const fm = contract();
      x.data[i] = orig;
      const numeric = (fp - fm) / (2 * eps);
      const diff = Math.abs(numeric - analytic[i]);
      assert.ok(diff <= atol + rtol * Math.abs(numeric), `${name}: d/d input${k}[${i}] autograd ${analytic[i]} vs finite difference ${numeric}`);
    }
  });
}

/** Random values bounded away from zero (for ops with a kink or a pole at 0, like abs, relu, log, div). */
export function awayFromZero(shape: number[], seed: number, min = 0.2): Tensor {
  const t = randn(shape, { generator: new Generator(seed) });
  for (let i = 0; i < t.data.length; i++) {
    const v = t.data[i];
    t.data[i] = Math.sign(v || 1) * (Math.abs(v) + min);
  }
  return t;
}

export function positive(shape: number[], seed: number): Tensor {
  const t = awayFromZero(shape, seed);
  for (let i = 0; i < t.data.length; i++) t.data[i] = Math.abs(t.data[i]);
  return t;
}

export function rnd(shape: number[], seed: number): Tensor {
  return randn(shape, { generator: new Generator(seed) });
}

export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, atol = 1e-5, message = ''): void {
  assert.equal(actual.length, expected.length, `${message} length ${actual.length} vs ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= atol, `${message} [${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}
