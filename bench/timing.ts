/** Timing helpers shared by the benchmarks: best-of-N rounds, each long enough to dwarf timer noise. */
import * as tf from '@tensorflow/tfjs';

export interface MatmulCase {
  name: string;
  m: number;
  k: number;
  n: number;
  transA: boolean;
  transB: boolean;
}

export function randomArray(len: number): Float32Array {
  const x = new Float32Array(len);
  for (let i = 0; i < len; i++) x[i] = Math.random() - 0.5;
  return x;
}

/** Best seconds per call over `reps` timed rounds of ~20 ms each. */
export function bestSeconds(f: () => void, reps: number): number {
  let iters = 1;
  for (;;) {
    const t = performance.now();
    for (let i = 0; i < iters; i++) f();
    if (performance.now() - t > 20 || iters > 1e6) break;
    iters *= 2;
  }
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    for (let i = 0; i < iters; i++) f();
    best = Math.min(best, (performance.now() - t) / 1000 / iters);
  }
  return best;
}

/** Seconds per tf.matMul on the current backend; dataSync() forces the (possibly lazy) product and its copy out. */
export function tfMatmulSeconds(c: MatmulCase, a: Float32Array, b: Float32Array, reps: number): number {
  const ta = tf.tensor2d(a, c.transA ? [c.k, c.m] : [c.m, c.k]);
  const tb = tf.tensor2d(b, c.transB ? [c.n, c.k] : [c.k, c.n]);
  const f = () => {
    const r = tf.matMul(ta, tb, c.transA, c.transB);
    r.dataSync();
    r.dispose();
  };
  f();
  const s = bestSeconds(f, reps);
  ta.dispose();
  tb.dispose();
  return s;
}
