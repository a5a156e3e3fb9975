/** W3: square matmul GFLOP/s at n = 256, 512, 1024 (the engine with both cores, TensorFlow.js backends). */
import * as os from 'node:os';
import { matmulInto, setMatmulThreads, warmUpThreads } from '../engine/kernels/matmul';
import { bestSeconds, randomArray, tfMatmulSeconds } from './timing';
import { useTfBackend } from './tfjs_backends';

export interface W3Result {
  n: number;
  engine: number;
  cpu: number;
  wasm: number;
}

export async function w3(sizes: number[], reps: number): Promise<W3Result[]> {
  setMatmulThreads(os.availableParallelism());
  warmUpThreads();
  const out: W3Result[] = [];
  for (const n of sizes) {
    const c = { name: `square ${n}`, m: n, k: n, n, transA: false, transB: false };
    const a = randomArray(n * n);
    const b = randomArray(n * n);
    const o = new Float32Array(n * n);
    const gflops = (s: number) => (2 * n * n * n) / s / 1e9;
    const ours = gflops(bestSeconds(() => matmulInto(o, a, b, n, n, n), reps));
    await useTfBackend('wasm');
    const wasm = gflops(tfMatmulSeconds(c, a, b, reps));
    await useTfBackend('cpu');
    const cpu = gflops(tfMatmulSeconds(c, a, b, n >= 1024 ? 1 : Math.min(reps, 2)));
    out.push({ n, engine: ours, cpu, wasm });
  }
  return out;
}
