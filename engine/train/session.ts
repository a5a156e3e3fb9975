/**
 * One training run on the current thread: loads data, builds and checks the model, runs epochs of
 * mini-batch steps, and reports everything as TrainEvents (metrics, plot grids, encoded checkpoints,
 * final weights, plots, result). It writes no files itself: the host does, so the same session serves
 * the worker (events posted to the extension host) and the CLI (events handled in-process).
 *
 * Steps run in bursts of ~50 ms between which the event loop turns, so a stop request (a message or a
 * signal) is seen between two steps and everything learned so far is kept. The loop itself, and its
 * parts, are in ./loop/.
 */
import { manualSeed } from '../random';
import type { Module } from '../nn';
import type { RunConfig } from './config';
import type { MetricsRecord, RunResult, TrainEvent } from './protocol';
import { prepareRunRows } from './run_data';
import type { LoadedData, LoadOptions } from './sources';
import { Loop } from './loop/loop';
import { runResult } from './loop/result';

export interface SessionInput {
  config: RunConfig;
  runDir: string;
  /** Builds the model from the document (fresh weights drawn from the default generator). */
  buildModel: () => Module;
  /** The model's per-sample input shape. */
  inputShape: number[];
  loadData: (options: LoadOptions) => Promise<LoadedData>;
  /** Resume: the checkpoint's bytes, and the metrics already recorded up to it. */
  resume?: { bytes: Uint8Array; name: string; metrics: MetricsRecord[] };
  /** Milliseconds between decision-boundary refreshes during the run. */
  gridIntervalMs?: number;
}

/** Loading progress (bytes of a big CSV read) is reported at most this often. */
const LOADING_EVERY_MS = 200;

export class TrainingSession {
  private stopRequested = false;
  private readonly loading = new AbortController();

  constructor(
    private readonly input: SessionInput,
    private readonly emit: (e: TrainEvent) => void,
  ) {}

  /**
   * Asks the loop to end after the step in progress; the run then ends as 'stopped' and keeps its weights.
   * While the data is still being read, the read is abandoned and the run ends with nothing trained.
   */
  stop(): void {
    this.stopRequested = true;
    this.loading.abort(new Error('stopped while reading the data'));
  }

  private async load(): Promise<LoadedData> {
    let last = -Infinity;
    return this.input.loadData({
      signal: this.loading.signal,
      onProgress: (bytes, totalBytes) => {
        const now = performance.now();
        if (now - last < LOADING_EVERY_MS && bytes < totalBytes) return;
        last = now;
        this.emit({ type: 'loading', bytes, totalBytes });
      },
    });
  }

  async run(): Promise<RunResult> {
    const { config, runDir } = this.input;
    const started = performance.now();
    let loop: Loop | null = null;
    const elapsedSec = () => (performance.now() - started) / 1000;
    try {
      const loadStart = performance.now();
      let data: LoadedData;
      try {
        data = await this.load();
      } catch (e) {
        if (this.stopRequested) {
          const result = runResult({
            status: 'stopped',
            message: 'Stopped while reading the data, before any training step: nothing was trained or kept.',
            runDir,
            elapsedSec: elapsedSec(),
          });
          this.emit({ type: 'result', result });
          return result;
        }
        throw e;
      }
      const loadSec = (performance.now() - loadStart) / 1000;
      manualSeed(config.seed);
      const model = this.input.buildModel();
      const rows = prepareRunRows(data, config.loss.type, config.validationSplit, config.seed, this.input.inputShape, model);
      loop = new Loop(this.input, model, rows, this.emit, () => this.stopRequested);
      if (this.input.resume !== undefined) loop.restore(this.input.resume.bytes, this.input.resume.name, this.input.resume.metrics);
      else loop.saveCheckpoint();
      this.emit({ type: 'started', info: loop.info(runDir, config.modelName) });
      this.emit({ type: 'log', message: `data: ${rows.summary}, loaded in ${loadSec.toFixed(2)} s` });
      const status = await loop.runAll();
      return await loop.finish(status);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const result = runResult({
        status: 'failed',
        message,
        runDir,
        step: loop?.state.step,
        totalSteps: loop?.totalSteps,
        elapsedSec: elapsedSec(),
        checkpoints: loop?.checkpoints.names,
      });
      this.emit({ type: 'result', result });
      return result;
    }
  }
}
