/**
 * Training overhead outside the engine, on the tutorial's spiral example (2-4-1 Tanh, BCEWithLogitsLoss,
 * SGD lr 1, full batch, 10,000 steps):
 *
 *   engine    the bare PyTorch-style loop (forward, loss, zeroGrad, backward, step) on this thread;
 *   training  the same steps in a real run on the worker thread, with everything a run does while it
 *             trains: loss bookkeeping, NaN checks, metrics records (with train accuracy), messages to
 *             the host, decision-boundary grids, checkpoints encoded and handed to the host;
 *
 * overhead = training / engine - 1, from the run's own training time (the time spent in step bursts,
 * which excludes data loading and the plots rendered after the last step). The host's file writes
 * happen on the main thread, off the training thread's time, as they do in the extension.
 *
 * Both sides run on a fresh worker thread each time, so both pay the same JIT warm-up (a warmed-up
 * main-thread loop against a cold worker would count V8's tiering as overhead); best of N each.
 *
 *   npx tsx bench/training_overhead.ts [--model examples/flower.nnb.json] [--repeats 5]
 */
import { parseArgs } from 'node:util';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { manualSeed } from '../engine/random';
import { startRun } from '../engine/train/host';
import { resolveRunConfig } from '../engine/train/config';
import { modelFromDocument, modelNameOf, trainingSectionOf } from '../engine/train/document';
import { loadData } from '../engine/train/sources';
import { makeLoss, makeOptimizer } from '../engine/train/setup';

export const SPIRAL_EXAMPLE = path.join(__dirname, '..', 'examples', 'flower.nnb.json');

/** Seconds of the bare engine loop for the document's model, data, loss and optimizer. */
export async function engineSeconds(documentPath: string, steps: number): Promise<number> {
  const doc = JSON.parse(await fsp.readFile(documentPath, 'utf8')) as unknown;
  const config = resolveRunConfig(modelNameOf(doc, documentPath), trainingSectionOf(doc));
  const built = modelFromDocument(doc);
  const data = await loadData(config.data, path.dirname(documentPath), config.seed, built.inputShape);
  if (data.kind !== 'tensors') throw new Error(`${documentPath}: the overhead bench times float data, not ${data.describe}`);
  const { x, y } = data;
  manualSeed(config.seed);
  const model = built.build();
  const criterion = makeLoss(config.loss);
  const optimizer = makeOptimizer(model, config.optimizer);
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) {
    const loss = criterion.forward(model.forward(x), y);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
  }
  return (performance.now() - t0) / 1000;
}

/** The bare loop on a fresh worker thread (this file, loaded through tsx's require hook). */
function engineSecondsOnWorker(documentPath: string, steps: number): Promise<number> {
  const bootstrap = `require(${JSON.stringify(require.resolve('tsx/cjs'))});\nrequire(${JSON.stringify(__filename)});`;
  const w = new Worker(bootstrap, { eval: true, workerData: { documentPath, steps } });
  return new Promise((resolve, reject) => {
    w.once('message', (s: number) => resolve(s));
    w.once('error', reject);
  });
}

export interface OverheadFigures {
  steps: number;
  /** The bare loop on its own fresh worker (best of the repeats). */
  engineSec: number;
  /** The run's time in step bursts on its worker. */
  trainingSec: number;
  /** Inside the run: the time spent in engine calls, timed step by step. */
  inRunEngineSec: number;
  wallSec: number;
  /** (run's burst time - its engine time) / its engine time: precise, the same run on both sides. */
  inRunOverheadPct: number;
  /** trainingSec / engineSec - 1: across runs, so it includes any slowdown of the engine itself, but noisy. */
  overheadPct: number;
  accuracy: number | undefined;
}

/** One measured run (worker mode) of `steps` steps against the best of `repeats` bare-engine loops. */
export async function measureOverhead(documentPath: string, outDir: string, repeats = 3): Promise<OverheadFigures> {
  const t0 = performance.now();
  const run = await startRun({ documentPath, outDir });
  const result = await run.result;
  const wallSec = (performance.now() - t0) / 1000;
  if (result.status !== 'completed') throw new Error(`the benchmark run ended ${result.status}: ${result.message}`);
  const steps = result.totalSteps;
  let engineSec = Infinity;
  for (let i = 0; i < repeats; i++) engineSec = Math.min(engineSec, await engineSecondsOnWorker(documentPath, steps));
  const timing = result.timing!;
  return {
    steps,
    engineSec,
    trainingSec: timing.trainingSec,
    inRunEngineSec: timing.engineSec,
    wallSec,
    inRunOverheadPct: (timing.trainingSec / timing.engineSec - 1) * 100,
    overheadPct: (timing.trainingSec / engineSec - 1) * 100,
    accuracy: result.final?.accuracy,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { model: { type: 'string', default: SPIRAL_EXAMPLE }, repeats: { type: 'string', default: '5' } } });
  const outDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'nnb-overhead-'));
  try {
    const documentPath = path.resolve(values.model!);
    const repeats = Number(values.repeats);
    // The training side is measured as the best of `repeats` runs too: both sides see the same noise.
    // Alternating engine and training runs, best of each: both sides see the same machine noise.
    const runs: OverheadFigures[] = [];
    for (let i = 0; i < repeats; i++) runs.push(await measureOverhead(documentPath, outDir, 1));
    const f = runs.reduce((a, b) => (b.trainingSec < a.trainingSec ? b : a));
    f.engineSec = Math.min(...runs.map((r) => r.engineSec));
    f.overheadPct = (f.trainingSec / f.engineSec - 1) * 100;
    const inRun = runs.map((r) => r.inRunOverheadPct).sort((a, b) => a - b);
    const median = inRun[Math.floor(inRun.length / 2)];
    console.log(
      `training overhead on ${path.relative(process.cwd(), documentPath)} (${os.cpus()[0]?.model ?? 'CPU'}, ${os.cpus().length} cores, Node ${process.version})`,
    );
    console.log(
      `  engine loop      ${f.engineSec.toFixed(3)} s for ${f.steps} steps on a fresh worker (${((f.engineSec / f.steps) * 1e6).toFixed(1)} µs/step)`,
    );
    console.log(
      `  training run     ${f.trainingSec.toFixed(3)} s of training time on the worker (${f.wallSec.toFixed(2)} s wall incl. start, data, plots, files)`,
    );
    console.log(`  overhead in run  ${median.toFixed(2)} % (median of ${runs.length}; the run's burst time over its own engine time; target < 5 %)`);
    console.log(`  overhead across  ${f.overheadPct.toFixed(2)} % (best run vs best bare loop on separate workers; machine noise is several %)`);
    if (f.accuracy !== undefined) console.log(`  final training accuracy ${f.accuracy.toFixed(4)}`);
  } finally {
    await fsp.rm(outDir, { recursive: true, force: true });
  }
}

if (!isMainThread && parentPort !== null && (workerData as { steps?: number } | null)?.steps !== undefined) {
  const job = workerData as { documentPath: string; steps: number };
  void engineSeconds(job.documentPath, job.steps).then((sec) => parentPort!.postMessage(sec));
} else if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
  });
}
