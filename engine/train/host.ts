/**
 * The host side of a training run: resolves the config from the document, creates the run folder and
 * config.json, starts the job on a worker thread (or inline, for the CLI), writes the run's files as
 * events arrive, and re-emits the events for progress bars, notifications and the webview.
 *
 * Worker location: `workerPath` when given; else $NNB_TRAIN_WORKER; else, when this module runs as
 * TypeScript (tsx), ./worker.ts beside it, loaded with tsx; else `train-worker.js` in the directory of the
 * running bundle (__dirname), which the bundler must emit from engine/train/worker.ts.
 */
import { EventEmitter } from 'node:events';
import { promises as fsp, existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { resolveRunConfig, type Overrides, type RunConfig } from './config';
import type { MetricsRecord, PlotGrid, RunInfo, RunResult, TrainEvent } from './protocol';
import { MODEL_FILE, createRunDir, listCheckpoints, prepareResume, readRunConfig, writeRunConfig, RunWriter, type RunConfigFile } from './run_folder';
import { runJob, type TrainJob } from './job';
import { modelFromDocument, modelNameOf, trainingSectionOf } from './document';
import type { TrainingSession } from './session';

export interface StartRunOptions {
  /** The model file (*.nnb.json). */
  documentPath: string;
  /** The document as the editor holds it (unsaved edits included); read from documentPath when absent. */
  document?: unknown;
  overrides?: Overrides;
  /** The runs/ folder; default: runs/ beside the model file. */
  outDir?: string;
  /** A run folder to continue from its last checkpoint (its own config.json is used). */
  resume?: string;
  /** 'worker' (default) keeps the calling thread free; 'inline' runs on it in 50 ms bursts (the CLI). */
  mode?: 'worker' | 'inline';
  workerPath?: string;
  gridIntervalMs?: number;
}

export interface TrainingRunEvents {
  loading: [{ bytes: number; totalBytes: number }];
  started: [RunInfo];
  metrics: [MetricsRecord];
  grid: [PlotGrid];
  checkpoint: [{ step: number; name: string }];
  log: [string];
  result: [RunResult];
}

/** A run in progress. Events: loading, started, metrics, grid, checkpoint, log, result. */
export class TrainingRun extends EventEmitter<TrainingRunEvents> {
  /** Resolves when the run has ended and all its files are written. Never rejects: failures are a 'failed' result. */
  readonly result: Promise<RunResult>;
  private stopper: (() => void) | null = null;
  private stopAsked = false;
  private settle!: (r: RunResult) => void;

  constructor(
    readonly runDir: string,
    readonly config: RunConfig,
  ) {
    super();
    this.result = new Promise((resolve) => (this.settle = resolve));
  }

  /** Stops between two steps; the run ends as 'stopped' with its weights, a checkpoint and plots written. */
  stop(): void {
    this.stopAsked = true;
    this.stopper?.();
  }

  /** @internal wiring by startRun */
  _attach(stopper: () => void): void {
    this.stopper = stopper;
    if (this.stopAsked) stopper();
  }

  /** @internal */
  _finish(r: RunResult): void {
    this.settle(r);
  }
}

/** The worker's entry file: NNB_TRAIN_WORKER, else worker.ts beside this file under tsx, else train-worker.js beside the bundle. */
export function defaultWorkerPath(): string {
  const fromEnv = process.env.NNB_TRAIN_WORKER;
  if (fromEnv) return fromEnv;
  if (__filename.endsWith('.ts')) return path.join(__dirname, 'worker.ts');
  return path.join(__dirname, 'train-worker.js');
}

/**
 * A TypeScript worker cannot be the thread's entry (Node checks the extension before any loader runs),
 * so it is required from a two-line CommonJS bootstrap that installs tsx's require hook first.
 */
function spawnWorker(file: string, workerData: TrainJob): Worker {
  if (!file.endsWith('.ts')) return new Worker(file, { workerData });
  // A computed name, so a bundler does not try to resolve tsx (only needed when running from source).
  const tsxHook = ['tsx', 'cjs'].join('/');
  const bootstrap = `require(${JSON.stringify(require.resolve(tsxHook))});\nrequire(${JSON.stringify(file)});`;
  return new Worker(bootstrap, { eval: true, workerData });
}

async function readDocument(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch {
    throw new Error(`cannot read the model file ${file}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

/**
 * Starts a run. Throws (before creating any folder) when the document or its training section is
 * invalid; everything that goes wrong later ends the run with a 'failed' result instead.
 */
export async function startRun(options: StartRunOptions): Promise<TrainingRun> {
  const documentPath = path.resolve(options.documentPath);
  let runDir: string;
  let document: unknown;
  let config: RunConfig;
  let resume: TrainJob['resume'];
  // Data paths in the training section are relative to the model file's folder.
  let baseDir = path.dirname(documentPath);
  if (options.resume !== undefined) {
    runDir = path.resolve(options.resume);
    const saved = await readRunConfig(runDir);
    document = saved.document;
    config = saved.resolved;
    if (saved.documentPath !== null) baseDir = path.dirname(saved.documentPath);
    if (options.overrides?.epochs !== undefined) config = { ...config, epochs: options.overrides.epochs };
    const prepared = await prepareResume(runDir);
    resume = { bytes: prepared.bytes, name: prepared.checkpoint, metrics: prepared.metrics };
    const history = [...(saved.resumedFrom ?? []), { checkpoint: prepared.checkpoint, at: new Date().toISOString() }];
    await writeRunConfig(runDir, { ...saved, resolved: config, resumedFrom: history });
  } else {
    document = options.document ?? (await readDocument(documentPath));
    const name = modelNameOf(document, documentPath);
    config = resolveRunConfig(name, trainingSectionOf(document), options.overrides);
    // The whole document is validated here too, so a broken model fails before any run folder exists.
    modelFromDocument(document, path.basename(documentPath));
    // A data file that is not there fails now, before a run folder exists for a run that cannot start.
    if (config.data.kind === 'csv' || config.data.kind === 'safetensors') {
      const dataFile = path.resolve(baseDir, config.data.path);
      if (!existsSync(dataFile)) {
        const hint =
          config.data.kind === 'csv' && /mnist_like\.csv$/.test(dataFile) ? `; 'nnb make-data digits -o ${dataFile}' writes a synthetic one` : '';
        throw new Error(`training.data.path: ${dataFile}: no such file (paths are relative to the model file's folder)${hint}`);
      }
    }
    const outDir = path.resolve(options.outDir ?? path.join(path.dirname(documentPath), 'runs'));
    runDir = await createRunDir(outDir, name);
    const content: RunConfigFile = {
      format: 'nnblocks.run/1',
      createdAt: new Date().toISOString(),
      documentPath,
      document,
      training: trainingSectionOf(document) ?? null,
      resolved: config,
    };
    await writeRunConfig(runDir, content);
  }
  const job: TrainJob = { document, baseDir, config, runDir, resume, gridIntervalMs: options.gridIntervalMs };
  const run = new TrainingRun(runDir, config);
  // A file that cannot be written (disk full, folder removed) ends the run: more training would only be lost.
  const writer = new RunWriter(runDir, () => run.stop());
  let finalResult: RunResult | null = null;
  const onEvent = (e: TrainEvent) => {
    writer.handle(e);
    switch (e.type) {
      case 'loading':
        run.emit('loading', { bytes: e.bytes, totalBytes: e.totalBytes });
        break;
      case 'started':
        run.emit('started', e.info);
        break;
      case 'metrics':
        run.emit('metrics', e.record);
        break;
      case 'grid':
        run.emit('grid', e.grid);
        break;
      case 'checkpoint':
        run.emit('checkpoint', { step: e.step, name: e.name });
        break;
      case 'log':
        run.emit('log', e.message);
        break;
      case 'result':
        finalResult = e.result;
        break;
      default:
        break;
    }
  };
  const failed = (message: string): RunResult => ({
    status: 'failed',
    message,
    runDir,
    step: 0,
    totalSteps: 0,
    elapsedSec: 0,
    final: null,
    checkpoints: [],
    hasModel: false,
  });
  const finish = async (fallback: string) => {
    const result = finalResult ?? failed(fallback);
    try {
      await writer.flush();
    } catch (e) {
      const kept = await listCheckpoints(runDir);
      result.status = 'failed';
      result.message =
        `Training stopped at step ${result.step} because ${(e as Error).message}. ` +
        (kept.length > 0
          ? `The files written before are intact; the newest checkpoint is checkpoints/${kept[kept.length - 1]}.`
          : 'No checkpoint could be written.');
    }
    result.hasModel &&= existsSync(path.join(runDir, MODEL_FILE));
    try {
      await writer.writeResult(result);
    } catch (e) {
      result.message += ` (result.json not written: ${(e as Error).message})`;
    }
    run.emit('result', result);
    run._finish(result);
  };

  if (options.mode === 'inline') {
    let session: TrainingSession | null = null;
    run._attach(() => session?.stop());
    // Deferred so the caller can attach listeners before the first event.
    setImmediate(() => {
      runJob(job, onEvent, (s) => {
        session = s;
        run._attach(() => s.stop());
      })
        .catch((e: unknown) => onEvent({ type: 'result', result: failed(e instanceof Error ? e.message : String(e)) }))
        .finally(() => void finish('the run ended without a result'));
    });
    return run;
  }

  const workerFile = options.workerPath ?? defaultWorkerPath();
  if (!existsSync(workerFile)) {
    throw new Error(
      `the training worker ${workerFile} does not exist: the bundle must emit engine/train/worker.ts as train-worker.js next to the code that calls startRun, or set NNB_TRAIN_WORKER`,
    );
  }
  const worker = spawnWorker(workerFile, job);
  run._attach(() => worker.postMessage({ type: 'stop' }));
  let crash: string | null = null;
  // The worker posts its events in batches (see worker.ts).
  worker.on('message', (batch: TrainEvent[]) => batch.forEach(onEvent));
  worker.on('error', (e) => (crash = `the training thread crashed: ${e.message}`));
  worker.on('exit', (code) => void finish(crash ?? `the training thread exited with code ${code} before reporting a result`));
  return run;
}
