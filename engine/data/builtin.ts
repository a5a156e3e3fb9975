/** The tutorials' built-in data sets. Each returns `{ x, y }` tensors ready for training. */
import { Tensor } from '../tensor';
import { defaultGenerator, Generator } from '../random';
import { NumpyRandomState } from './numpy_random';

export interface XY {
  x: Tensor;
  y: Tensor;
}

/**
 * The two-class "flower" of the spiral tutorial: `m` points (half per class) on the eight petals
 * r = a·sin(4t), with the tutorial's noise. With the default seed 1 these are exactly the points that
 * `np.random.seed(1)` gives in the notebook. x is [m, 2]; y is [m, 1] of 0/1.
 */
export function flower(options: { m?: number; a?: number; seed?: number; noise?: number } = {}): XY {
  const m = options.m ?? 400;
  const a = options.a ?? 4;
  const noise = options.noise ?? 0.2;
  if (!Number.isInteger(m) || m < 2 || m % 2 !== 0) throw new Error(`flower: m must be an even integer >= 2, got ${m}`);
  const rng = new NumpyRandomState(options.seed ?? 1);
  const n = m / 2;
  const x = new Float32Array(m * 2);
  const y = new Float32Array(m);
  for (let j = 0; j < 2; j++) {
    const start = j * 3.12;
    const stop = (j + 1) * 3.12;
    const tNoise = rng.randn(n);
    const rNoise = rng.randn(n);
    for (let i = 0; i < n; i++) {
      // np.linspace(start, stop, n): i·step + start, with the last point exactly stop
      const lin = n === 1 ? start : i === n - 1 ? stop : i * ((stop - start) / (n - 1)) + start;
      const t = lin + tNoise[i] * noise;
      const r = a * Math.sin(4 * t) + rNoise[i] * noise;
      const row = j * n + i;
      x[row * 2] = r * Math.sin(t);
      x[row * 2 + 1] = r * Math.cos(t);
      y[row] = j;
    }
  }
  return { x: new Tensor(x, [m, 2]), y: new Tensor(y, [m, 1]) };
}

/** The tutorial's name for the flower, kept for code written against it. */
export const spiral = flower;

/** Two interleaving half circles (scikit-learn's make_moons): x [n, 2], y [n, 1] of 0/1. */
export function moons(options: { n?: number; noise?: number; seed?: number } = {}): XY {
  const n = options.n ?? 200;
  const noise = options.noise ?? 0.1;
  if (!Number.isInteger(n) || n < 2) throw new Error(`moons: n must be an integer >= 2, got ${n}`);
  const g = options.seed === undefined ? defaultGenerator : new Generator(options.seed);
  const nOut = Math.floor(n / 2);
  const nIn = n - nOut;
  const x = new Float32Array(n * 2);
  const y = new Float32Array(n);
  for (let i = 0; i < nOut; i++) {
    const t = nOut === 1 ? 0 : (Math.PI * i) / (nOut - 1);
    x[2 * i] = Math.cos(t) + noise * g.normal();
    x[2 * i + 1] = Math.sin(t) + noise * g.normal();
  }
  for (let i = 0; i < nIn; i++) {
    const t = nIn === 1 ? 0 : (Math.PI * i) / (nIn - 1);
    const row = nOut + i;
    x[2 * row] = 1 - Math.cos(t) + noise * g.normal();
    x[2 * row + 1] = 1 - Math.sin(t) - 0.5 + noise * g.normal();
    y[row] = 1;
  }
  return { x: new Tensor(x, [n, 2]), y: new Tensor(y, [n, 1]) };
}

/** The regression tutorial's noisy parabola: x = linspace(-1, 1, n) as [n, 1], y = x² + 0.2·U(0, 1). */
export function quadratic(options: { n?: number; noise?: number; seed?: number } = {}): XY {
  const n = options.n ?? 100;
  const noise = options.noise ?? 0.2;
  if (!Number.isInteger(n) || n < 2) throw new Error(`quadratic: n must be an integer >= 2, got ${n}`);
  const g = options.seed === undefined ? defaultGenerator : new Generator(options.seed);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = -1 + (2 * i) / (n - 1);
    y[i] = x[i] * x[i] + noise * g.random();
  }
  return { x: new Tensor(x, [n, 1]), y: new Tensor(y, [n, 1]) };
}
