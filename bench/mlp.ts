/**
 * Issue 13's peers for the MLP workloads: W2's training step and W3's matmuls on PyTorch CPU (a subprocess,
 * bench/mlp_pytorch.py, pointed at OpenBLAS when installed, see torchEnv), the forward pass of
 * examples/mlp_28x28.nnb.json under noGrad against its ONNX export in onnxruntime-node, and the resident
 * set over a long training run (the engine must not grow: resident weight copies, pooled buffers and
 * optimizer state are all reused from step to step).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { manualSeed, nn, noGrad, optim, randint, randn } from '../engine';
import { buildModel, toOnnxBytes } from '../engine/graph';
import { exampleDocument, torchEnv } from './cnn';

export const MLP_BATCHES = [1, 64, 1024];
const PYTHON = '/usr/bin/python3';

export interface TorchMlpResult {
  torch: string;
  threads: number;
  blas: string;
  blasConfig: string;
  w2StepSeconds: number;
  w3Gflops: Record<string, number>;
}

/** PyTorch's W2 and W3 figures, or null (with the reason printed) when torch is not there. */
export function torchMlp(rounds: number, w2Steps: number, w3Sizes: number[], w3Reps: number, threads: number): TorchMlpResult | null {
  if (!existsSync(PYTHON)) {
    console.log(`PyTorch column of W2/W3 skipped: ${PYTHON} not found`);
    return null;
  }
  // Beside this file under tsx, two levels up from dist/bench/ in the bundle that npm run bench runs.
  const script = [path.join(__dirname, 'mlp_pytorch.py'), path.join(__dirname, '..', '..', 'bench', 'mlp_pytorch.py')].find((f) => existsSync(f));
  if (script === undefined) throw new Error(`bench/mlp_pytorch.py not found from ${__dirname}`);
  const r = spawnSync(PYTHON, [script, JSON.stringify({ rounds, w2Steps, w3Sizes, w3Reps, threads })], { encoding: 'utf8', env: torchEnv() });
  if (r.status !== 0) {
    console.log(`PyTorch column of W2/W3 skipped: ${PYTHON} ${script} failed:\n${r.stderr.trim().split('\n').slice(-3).join('\n')}`);
    return null;
  }
  return JSON.parse(r.stdout) as TorchMlpResult;
}

function best(rounds: number, runs: number, f: () => void): number {
  for (let i = 0; i < 2; i++) f();
  let out = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) f();
    out = Math.min(out, (performance.now() - t0) / 1000 / runs);
  }
  return out;
}

const mlpDocument = () => exampleDocument('mlp_28x28.nnb.json');

/** Seconds per forward pass of mlp_28x28 on the engine, eval mode under noGrad. */
export function mlpForwardEngine(rounds: number, runs: number, batch: number): number {
  manualSeed(0);
  const net = buildModel(mlpDocument()).eval();
  const x = randn([batch, 1, 28, 28]);
  return best(rounds, runs, () => noGrad(() => net.forward(x)));
}

/** Seconds per forward pass of mlp_28x28's ONNX export in onnxruntime-node (CPU, `threads` intra-op threads). */
export async function mlpForwardOnnx(rounds: number, runs: number, batch: number, threads: number): Promise<number> {
  manualSeed(0);
  const doc = mlpDocument();
  const bytes = toOnnxBytes(doc, buildModel(doc).eval());
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ort = require('onnxruntime-node') as typeof import('onnxruntime-node');
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1 });
  const shape = [batch, 1, 28, 28];
  const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', randn(shape).data, shape) };
  for (let i = 0; i < 2; i++) await session.run(feeds);
  let out = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) await session.run(feeds);
    out = Math.min(out, (performance.now() - t0) / 1000 / runs);
  }
  await session.release();
  return out;
}

/**
 * Resident set (MB) after a warm-up and at the end of `steps` training steps of mlp_28x28 (Adam,
 * CrossEntropyLoss) at batch `batch`: a small batch keeps the run short while every step still goes
 * through the resident weights, the gradient pool and the optimizer state.
 */
export function rssOverRun(steps: number, batch: number): { startMB: number; endMB: number } {
  manualSeed(0);
  const net = buildModel(mlpDocument());
  const criterion = new nn.CrossEntropyLoss();
  const opt = new optim.Adam(net.parameters(), { lr: 1e-3 });
  const x = randn([batch, 1, 28, 28]);
  const y = randint(0, 10, [batch]);
  const step = () => {
    const loss = criterion.forward(net.forward(x), y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
  };
  const warm = Math.min(200, Math.floor(steps / 10));
  for (let i = 0; i < warm; i++) step();
  const mb = () => process.memoryUsage().rss / 2 ** 20;
  const startMB = mb();
  for (let i = warm; i < steps; i++) step();
  return { startMB, endMB: mb() };
}
