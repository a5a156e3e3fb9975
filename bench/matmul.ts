/**
 * Matmul kernel benchmark: engine/kernels/matmul against TensorFlow.js (cpu and wasm backends) in one
 * process, best-of-N after warm-up since the machine is shared and noisy.
 *
 *   npx tsx bench/matmul.ts [--quick] [--threads N]
 *
 * Note: tfjs-backend-wasm 4.22 never uses threads under Node (WASM_HAS_MULTITHREAD_SUPPORT is false when
 * IS_NODE), so its figures are single-threaded; ours are shown both ways.
 */
import * as path from 'node:path';
import * as os from 'node:os';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { matmulInto, setMatmulThreads, warmUpThreads, kernelInfo } from '../engine/kernels/matmul';
import { bestSeconds, randomArray, tfMatmulSeconds, type MatmulCase } from './timing';

type Case = MatmulCase;

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, threads: { type: 'string' } } });
const quick = values.quick;

const cases: Case[] = [
  { name: 'square 256', m: 256, k: 256, n: 256, transA: false, transB: false },
  { name: 'square 512', m: 512, k: 512, n: 512, transA: false, transB: false },
  { name: 'square 1024', m: 1024, k: 1024, n: 1024, transA: false, transB: false },
  // W2's first layer: forward x[64,784] @ W[512,784]^T, then backward dW = dY^T X and dX = dY W.
  { name: 'fwd 64x784 @ (512x784)^T', m: 64, k: 784, n: 512, transA: false, transB: true },
  { name: 'fwd 64x784 @ 784x512', m: 64, k: 784, n: 512, transA: false, transB: false },
  { name: 'dW (64x512)^T @ 64x784', m: 512, k: 64, n: 784, transA: true, transB: false },
  { name: 'dX 64x512 @ 512x784', m: 64, k: 512, n: 784, transA: false, transB: false },
  { name: 'mid 64x512 @ (512x512)^T', m: 64, k: 512, n: 512, transA: false, transB: true },
  { name: 'tiny 400x2 @ (4x2)^T', m: 400, k: 2, n: 4, transA: false, transB: true },
  { name: 'tiny 400x4 @ (1x4)^T', m: 400, k: 4, n: 1, transA: false, transB: true },
  { name: 'tiny dW (400x4)^T @ 400x2', m: 4, k: 400, n: 2, transA: true, transB: false },
];

const rand = randomArray;

async function tfSeconds(backend: 'cpu' | 'wasm', c: Case, a: Float32Array, b: Float32Array, reps: number): Promise<number> {
  await tf.setBackend(backend);
  await tf.ready();
  return tfMatmulSeconds(c, a, b, reps);
}

async function main(): Promise<void> {
  setWasmPaths(path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep);
  const threads = values.threads !== undefined ? Number(values.threads) : os.availableParallelism();
  setMatmulThreads(threads);
  warmUpThreads();
  const info = kernelInfo();
  console.log(`matmul bench on ${os.cpus()[0]?.model ?? '?'} (${os.cpus().length} cores), Node ${process.version}`);
  await tf.setBackend('wasm');
  await tf.ready();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const mt = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  console.log(
    `ours: wasm ${info.wasm ? 'on' : `OFF (${info.error})`}, ${info.workersReady + 1} thread(s); tfjs-wasm: SIMD ${simd ? 'on' : 'off'}, threads ${mt ? 'on' : 'off (never under Node in 4.22)'}\n`,
  );
  const reps = quick ? 3 : 7;
  const rows: string[][] = [['case', 'ours 1T', `ours ${threads}T`, 'tfjs-wasm', 'tfjs-cpu', 'ours/wasm', 'ours/cpu']];
  for (const c of cases) {
    const a = rand(c.m * c.k),
      b = rand(c.k * c.n),
      out = new Float32Array(c.m * c.n);
    const flop = 2 * c.m * c.k * c.n;
    const run = () => matmulInto(out, a, b, c.m, c.k, c.n, c.transA, c.transB);
    setMatmulThreads(1);
    run();
    const one = bestSeconds(run, reps);
    setMatmulThreads(threads);
    run();
    const many = bestSeconds(run, reps);
    const wasm = await tfSeconds('wasm', c, a, b, reps);
    const skipCpu = quick && flop > 3e8;
    const cpu = skipCpu ? NaN : await tfSeconds('cpu', c, a, b, Math.min(reps, flop > 1e9 ? 2 : reps));
    const ours = Math.min(one, many);
    const tiny = flop < 1e5;
    const g = (s: number) => (Number.isNaN(s) ? '-' : tiny ? `${(s * 1e6).toFixed(2)} us` : `${(flop / s / 1e9).toFixed(2)} GF/s`);
    rows.push([c.name, g(one), g(many), g(wasm), g(cpu), `${(wasm / ours).toFixed(2)}x`, Number.isNaN(cpu) ? '-' : `${(cpu / ours).toFixed(1)}x`]);
  }
  // All products of one W2 training step (784-512-512-10, batch 64), forward and backward, summed.
  const step: Case[] = [
    { name: 'L1 fwd', m: 64, k: 784, n: 512, transA: false, transB: true },
    { name: 'L2 fwd', m: 64, k: 512, n: 512, transA: false, transB: true },
    { name: 'L3 fwd', m: 64, k: 512, n: 10, transA: false, transB: true },
    { name: 'L3 dW', m: 10, k: 64, n: 512, transA: true, transB: false },
    { name: 'L3 dX', m: 64, k: 10, n: 512, transA: false, transB: false },
    { name: 'L2 dW', m: 512, k: 64, n: 512, transA: true, transB: false },
    { name: 'L2 dX', m: 64, k: 512, n: 512, transA: false, transB: false },
    { name: 'L1 dW', m: 512, k: 64, n: 784, transA: true, transB: false },
  ];
  const ops = step.map((c) => ({ c, a: rand(c.m * c.k), b: rand(c.k * c.n), out: new Float32Array(c.m * c.n) }));
  const runStep = () => {
    for (const o of ops) matmulInto(o.out, o.a, o.b, o.c.m, o.c.k, o.c.n, o.c.transA, o.c.transB);
  };
  setMatmulThreads(1);
  runStep();
  const step1 = bestSeconds(runStep, reps);
  setMatmulThreads(threads);
  runStep();
  const stepN = bestSeconds(runStep, reps);
  let stepWasm = 0,
    stepCpu = 0;
  for (const o of ops) {
    stepWasm += await tfSeconds('wasm', o.c, o.a, o.b, reps);
    stepCpu += quick ? NaN : await tfSeconds('cpu', o.c, o.a, o.b, Math.min(reps, 3));
  }
  const ms = (s: number) => (Number.isNaN(s) ? '-' : `${(s * 1e3).toFixed(2)} ms`);
  const bestStep = Math.min(step1, stepN);
  rows.push([
    'W2 step: all 8 products',
    ms(step1),
    ms(stepN),
    ms(stepWasm),
    ms(stepCpu),
    `${(stepWasm / bestStep).toFixed(2)}x`,
    Number.isNaN(stepCpu) ? '-' : `${(stepCpu / bestStep).toFixed(1)}x`,
  ]);

  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((s, i) => (i === 0 ? s.padEnd(widths[i]) : s.padStart(widths[i]))).join('  '));
  console.log(
    '\nGF/s = GFLOP/s (2mkn flops, best of N); tiny cases in microseconds per call; the W2 step in ms (each tfjs product timed alone, with dataSync);\nratios are time(peer) / time(ours, best of 1T and ' +
      threads +
      'T), > 1 means ours is faster.',
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
