/**
 * One training run on the current thread: loads data, builds and checks the model, runs epochs of
 * mini-batch steps, and reports everything as TrainEvents (metrics, plot grids, encoded checkpoints,
 * final weights, plots, result). It writes no files itself: the host does, so the same session serves
 * the worker (events posted to the extension host) and the CLI (events handled in-process).
 *
 * Steps run in bursts of ~50 ms between which the event loop turns, so a stop request (a message or a
 * signal) is seen between two steps and everything learned so far is kept.
 */
import { Tensor } from '../tensor';
import { Generator, defaultGenerator, manualSeed } from '../random';
import type { Module } from '../nn';
import type { RunConfig } from './config';
import type { FinalMetrics, MetricsRecord, PlotGrid, RunInfo, RunResult, RunStatus, TrainEvent } from './protocol';
import { evaluate, predictedClass } from './evaluate';
import { computeGrid, planGrid, plotPoints, type GridSpec } from './grid';
import { makeLoss, makeOptimizer, makeScheduler, takesLogits, type AnyOptimizer } from './setup';
import { prepareRunRows, type RunRows } from './run_data';
import { TensorRows, evaluateRows, type SampleRows } from './rows';
import { checkpointName, packCheckpoint, unpackCheckpoint, type LoopState } from './checkpoint';
import type { LoadedData, LoadOptions } from './sources';
import { encodeTensors, decodeTensors } from './codec';
import { renderPlots } from './plots/render';

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

const BURST_MS = 50;
const VAL_SAMPLES = 4096;
/** Loading progress (bytes of a big CSV read) is reported at most this often. */
const LOADING_EVERY_MS = 200;

export class TrainingSession {
  private stopRequested = false;
  private readonly loading = new AbortController();

  constructor(private readonly input: SessionInput, private readonly emit: (e: TrainEvent) => void) {}

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
    const stoppedEarly = (): RunResult => ({
      status: 'stopped',
      message: 'Stopped while reading the data, before any training step: nothing was trained or kept.',
      runDir,
      step: 0,
      totalSteps: 0,
      elapsedSec: (performance.now() - started) / 1000,
      final: null,
      checkpoints: [],
      hasModel: false,
    });
    try {
      const loadStart = performance.now();
      let data: LoadedData;
      try {
        data = await this.load();
      } catch (e) {
        if (this.stopRequested) {
          const result = stoppedEarly();
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
      const result: RunResult = {
        status: 'failed',
        message,
        runDir,
        step: loop?.state.step ?? 0,
        totalSteps: loop?.totalSteps ?? 0,
        elapsedSec: (performance.now() - started) / 1000,
        final: null,
        checkpoints: loop?.checkpoints ?? [],
        hasModel: false,
      };
      this.emit({ type: 'result', result });
      return result;
    }
  }
}

/** The loop proper, with all the state a checkpoint captures. */
class Loop {
  readonly state: LoopState;
  readonly totalSteps: number;
  readonly stepsPerEpoch: number;
  readonly checkpoints: string[] = [];
  private readonly batch: number;
  private readonly criterion: Module;
  private readonly optimizer: AnyOptimizer;
  private readonly scheduler: ReturnType<typeof makeScheduler>;
  private readonly shuffle: Generator;
  private readonly shuffles: boolean;
  private readonly gridSpec: GridSpec | null;
  private readonly logEvery: number;
  private readonly checkpointEvery: number;
  private readonly records: MetricsRecord[] = [];
  private perm: Int32Array | null = null;
  private xBuf: Float32Array;
  private yBuf: Float32Array;
  private xb: Tensor;
  private yb: Tensor;
  private lastGrid: PlotGrid | null = null;
  private lastGridAt = -Infinity;
  private lastLogAt = performance.now();
  private lastCheckpointStep = -1;
  private divergedAt: { step: number; loss: number; weights?: boolean } | null = null;
  private runStartStep = 0;
  private runStartElapsed = 0;
  private burstStart = 0;
  private lastValStep = 0;
  /** Time inside forward, loss, backward and optimizer step in this session. */
  private engineMs = 0;
  private readonly logits: boolean;
  private readonly trackWindow: number;
  private readonly task: RunInfo['task'];
  private readonly classes: number;

  constructor(
    private readonly input: SessionInput,
    private readonly model: Module,
    private readonly data: RunRows,
    private readonly emit: (e: TrainEvent) => void,
    private readonly stopRequested: () => boolean,
  ) {
    const c = input.config;
    this.task = data.task;
    this.classes = data.classes;
    const n = data.train.length;
    this.batch = c.batchSize === null ? n : Math.min(c.batchSize, n);
    this.stepsPerEpoch = c.dropLast ? Math.floor(n / this.batch) : Math.ceil(n / this.batch);
    if (this.stepsPerEpoch === 0) throw new Error(`batch size ${c.batchSize} is larger than the ${n} training samples and dropLast is on: lower the batch size`);
    this.totalSteps = this.stepsPerEpoch * c.epochs;
    // Shuffling one full batch changes nothing but the summation order, so it is skipped (as the tutorials do).
    this.shuffles = c.shuffle && this.stepsPerEpoch > 1;
    this.criterion = makeLoss(c.loss);
    this.logits = takesLogits(c.loss.type);
    this.optimizer = makeOptimizer(model, c.optimizer);
    this.scheduler = makeScheduler(this.optimizer, c.schedule);
    this.shuffle = new Generator((c.seed ^ 0x5eed) >>> 0);
    this.logEvery = c.logEvery > 0 ? c.logEvery : Math.max(1, Math.floor(this.totalSteps / 100));
    this.trackWindow = Math.min(this.logEvery, this.stepsPerEpoch);
    this.checkpointEvery = c.checkpointEvery > 0 ? c.checkpointEvery : Math.max(1, Math.ceil(this.totalSteps / 10));
    this.gridSpec = data.plot === null ? null : planGrid(data.plot.xTrain, this.task, this.classes, takesLogits(c.loss.type));
    this.xBuf = new Float32Array(this.batch * sizeOf(data.train.xShape));
    this.yBuf = new Float32Array(this.batch * sizeOf(data.train.yShape));
    this.xb = new Tensor(this.xBuf, [this.batch, ...data.train.xShape]);
    this.yb = new Tensor(this.yBuf, [this.batch, ...data.train.yShape]);
    this.state = {
      step: 0,
      epoch: 0,
      batchInEpoch: 0,
      shuffleState: this.shuffle.getState(),
      generatorState: defaultGenerator.getState(),
      lossSum: 0,
      lossCount: 0,
      metricSum: 0,
      metricCount: 0,
      elapsedMs: 0,
      lastLogStep: 0,
    };
  }

  info(runDir: string, modelName: string): RunInfo {
    const d = this.data;
    return {
      runDir,
      modelName,
      task: this.task,
      classes: this.classes,
      trainSize: d.train.length,
      valSize: d.val?.length ?? 0,
      stepsPerEpoch: this.stepsPerEpoch,
      totalSteps: this.totalSteps,
      startStep: this.state.step,
      history: this.records.slice(),
      points: this.plotPoints(),
    };
  }

  private plotPoints() {
    const plot = this.data.plot;
    return this.gridSpec === null || plot === null ? null : plotPoints(plot.xTrain, plot.yTrain, this.gridSpec.dims);
  }

  restore(bytes: Uint8Array, name: string, metrics: MetricsRecord[]): void {
    const { tensors, metadata } = decodeTensors(bytes);
    const ck = unpackCheckpoint(tensors, metadata, name);
    this.model.loadStateDict(ck.modelState);
    this.optimizer.loadStateDict(ck.optimizerState);
    if (this.scheduler !== null && ck.meta.scheduler !== null) this.scheduler.loadStateDict(ck.meta.scheduler);
    Object.assign(this.state, ck.meta.loop);
    defaultGenerator.setState(this.state.generatorState);
    this.shuffle.setState(this.state.shuffleState);
    if (this.state.augmentState !== undefined) this.data.train.setState(this.state.augmentState);
    this.perm = null;
    this.lastCheckpointStep = this.state.step;
    this.lastValStep = this.state.step;
    this.checkpoints.push(name);
    this.records.push(...metrics.filter((r) => r.step <= this.state.step));
  }

  /** Runs bursts of steps until the end, a stop request or a non-finite loss. */
  async runAll(): Promise<RunStatus> {
    this.runStartStep = this.state.step;
    this.runStartElapsed = this.state.elapsedMs;
    this.lastLogAt = performance.now();
    while (this.state.step < this.totalSteps) {
      if (this.stopRequested()) return 'stopped';
      this.burstStart = performance.now();
      this.burst();
      this.state.elapsedMs += performance.now() - this.burstStart;
      if (this.divergedAt !== null) return 'diverged';
      // Let messages (stop) and signals through between bursts.
      await new Promise<void>((r) => setImmediate(r));
    }
    return 'completed';
  }

  private burst(): void {
    const s = this.state;
    const { model, criterion, optimizer } = this;
    // Float rows in one unshuffled batch are the batch itself; images are converted and transformed per batch.
    const train = this.data.train;
    const full = train instanceof TensorRows && this.batch === train.length && !this.shuffles;
    while (s.step < this.totalSteps) {
      const [xb, yb] = full ? train.slice(0, train.length) : this.nextBatch();
      // The engine's share of the step is timed so the run can report its own overhead (bench/training_overhead).
      const t0 = performance.now();
      const out = model.forward(xb);
      const loss = criterion.forward(out, yb);
      const lv = loss.data[0];
      if (!Number.isFinite(lv)) {
        this.divergedAt = { step: s.step + 1, loss: lv };
        return;
      }
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      const t1 = performance.now();
      this.engineMs += t1 - t0;
      s.lossSum += lv;
      s.lossCount++;
      // Train accuracy/MSE comes from the batches of the last epoch (at most) before each record: for the
      // full-batch spiral that is one batch per record instead of every step.
      if (s.step >= Math.min(s.lastLogStep + this.logEvery, this.totalSteps) - this.trackWindow) this.track(out.data, yb.data, yb.shape[0]);
      s.step++;
      if (++s.batchInEpoch === this.stepsPerEpoch) {
        s.epoch++;
        s.batchInEpoch = 0;
        this.perm = null;
        this.scheduler?.step();
      }
      if (s.step - s.lastLogStep >= this.logEvery || s.step === this.totalSteps) this.log();
      if (s.step - this.lastCheckpointStep >= this.checkpointEvery) {
        this.saveCheckpoint();
        if (this.divergedAt !== null) return;
      }
      if (t1 - this.burstStart > BURST_MS) return;
      if (this.stopRequested()) return;
    }
  }

  /** The next mini-batch, gathered into buffers reused across steps (the last, shorter batch gets its own). */
  private nextBatch(): [Tensor, Tensor] {
    const s = this.state;
    const train = this.data.train;
    const n = train.length;
    if (this.perm === null) {
      s.shuffleState = this.shuffle.getState();
      this.perm = this.shuffles ? this.shuffle.permutation(n) : identity(n);
    }
    const from = s.batchInEpoch * this.batch;
    const to = Math.min(from + this.batch, n);
    if (to - from === this.batch) {
      train.gather(this.perm, from, to, this.xBuf, this.yBuf);
      return [this.xb, this.yb];
    }
    const xs = new Float32Array((to - from) * sizeOf(train.xShape));
    const ys = new Float32Array((to - from) * sizeOf(train.yShape));
    train.gather(this.perm, from, to, xs, ys);
    return [new Tensor(xs, [to - from, ...train.xShape]), new Tensor(ys, [to - from, ...train.yShape])];
  }

  /**
   * Running accuracy (or squared error) of the batches since the last record, from the outputs the step
   * computed anyway: no extra forward pass, a few hundred comparisons per step.
   */
  private track(out: Float32Array, y: Float32Array, rows: number): void {
    const s = this.state;
    if (this.task === 'regression') {
      let e = 0;
      for (let i = 0; i < out.length; i++) {
        const d = out[i] - y[i];
        e += d * d;
      }
      s.metricSum += e;
      s.metricCount += out.length;
    } else if (this.task === 'binary') {
      const thr = this.logits ? 0 : 0.5;
      let c = 0;
      for (let i = 0; i < out.length; i++) if (out[i] > thr === y[i] >= 0.5) c++;
      s.metricSum += c;
      s.metricCount += out.length;
    } else {
      const width = out.length / rows;
      let c = 0;
      for (let i = 0; i < rows; i++) if (predictedClass(out, i, width, true) === y[i]) c++;
      s.metricSum += c;
      s.metricCount += rows;
    }
  }

  private metricsOn(rows: SampleRows, limit: number) {
    const [x, y] = rows.slice(0, Math.min(limit, rows.length));
    return evaluate(this.model, this.criterion, this.task, x, y, this.evalOptions());
  }

  private evalOptions() {
    const c = this.input.config;
    return { logits: takesLogits(c.loss.type), reduction: c.loss.reduction };
  }

  private log(): void {
    const s = this.state;
    const now = performance.now();
    // Validation once per epoch at most (and at the end): it costs forward passes, the train metrics do not.
    const wantVal = this.data.val !== null && (s.step - this.lastValStep >= this.stepsPerEpoch || s.step === this.totalSteps);
    const val = wantVal ? this.metricsOn(this.data.val!, VAL_SAMPLES) : null;
    if (wantVal) this.lastValStep = s.step;
    const trainMetric = s.metricSum / Math.max(1, s.metricCount);
    const elapsedMs = s.elapsedMs + (now - this.burstStart);
    const rate = (s.step - this.runStartStep) / Math.max(1e-9, (elapsedMs - this.runStartElapsed) / 1000);
    // Built field by field (no spreads): this runs a few hundred times per run, mostly before V8 optimises it.
    const record: MetricsRecord = {
      step: s.step,
      epoch: s.step / this.stepsPerEpoch,
      loss: s.lossSum / Math.max(1, s.lossCount),
      lr: this.optimizer.lr,
      stepsPerSec: (s.step - s.lastLogStep) / Math.max(1e-9, (now - this.lastLogAt) / 1000),
      elapsedSec: elapsedMs / 1000,
      etaSec: (this.totalSteps - s.step) / Math.max(1e-9, rate),
      time: new Date().toISOString(),
    };
    if (s.metricCount > 0) {
      if (this.task === 'regression') record.mse = trainMetric;
      else record.accuracy = trainMetric;
    }
    if (val !== null) {
      record.valLoss = val.loss;
      if (val.accuracy !== undefined) record.valAccuracy = val.accuracy;
      if (val.mse !== undefined) record.valMse = val.mse;
    }
    s.lossSum = 0;
    s.lossCount = 0;
    s.metricSum = 0;
    s.metricCount = 0;
    s.lastLogStep = s.step;
    this.lastLogAt = now;
    this.records.push(record);
    this.emit({ type: 'metrics', record });
    const gridInterval = this.input.gridIntervalMs ?? 500;
    if (this.gridSpec !== null && (now - this.lastGridAt >= gridInterval || s.step === this.totalSteps)) {
      this.lastGridAt = now;
      this.lastGrid = computeGrid(this.model, this.gridSpec, s.step);
      this.emit({ type: 'grid', grid: this.lastGrid });
    }
  }

  saveCheckpoint(): void {
    const s = this.state;
    // A step can leave infinite weights behind a finite loss; such a state is never kept as "good".
    if (!this.weightsFinite()) {
      this.divergedAt = { step: s.step, loss: NaN, weights: true };
      return;
    }
    if (this.perm === null) s.shuffleState = this.shuffle.getState();
    s.generatorState = defaultGenerator.getState();
    const augment = this.data.train.getState();
    if (augment !== null) s.augmentState = augment;
    const packed = packCheckpoint(this.model.stateDict(), this.optimizer.stateDict(), this.scheduler?.stateDict() ?? null, s);
    const name = checkpointName(s.step);
    this.emit({ type: 'checkpoint', step: s.step, name, bytes: encodeTensors(packed.tensors, packed.metadata) });
    this.lastCheckpointStep = s.step;
    if (!this.checkpoints.includes(name)) this.checkpoints.push(name);
  }

  private weightsFinite(): boolean {
    for (const p of this.model.parameters()) {
      const d = p.data;
      for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return false;
    }
    return true;
  }

  async finish(status: RunStatus): Promise<RunResult> {
    const s = this.state;
    const c = this.input.config;
    let final: FinalMetrics | null = null;
    let message: string;
    if (status === 'diverged') {
      const d = this.divergedAt!;
      const last = this.checkpoints[this.checkpoints.length - 1];
      message =
        (d.weights ? `The weights became NaN or infinite at step ${d.step}, so training stopped. ` : `The loss became ${d.loss} at step ${d.step}, so training stopped. `) +
        `Likely fix: lower the learning rate (now ${c.optimizer.lr}; try ${c.optimizer.lr / 10}), or check the data for very large, missing or unscaled values. ` +
        `The last good checkpoint is kept: checkpoints/${last}.`;
    } else {
      if (s.step !== this.lastCheckpointStep) this.saveCheckpoint();
      if (this.divergedAt !== null) return this.finish('diverged');
      // Over every sample, chunk by chunk with the event loop turning in between (the CLI's thread).
      const { model, criterion, task } = this;
      const train = await evaluateRows(model, criterion, task, this.data.train, this.evalOptions());
      const val = this.data.val === null ? null : await evaluateRows(model, criterion, task, this.data.val, this.evalOptions());
      const test = this.data.test === null ? null : await evaluateRows(model, criterion, task, this.data.test, this.evalOptions());
      final = {
        loss: train.loss,
        ...(train.accuracy !== undefined ? { accuracy: train.accuracy } : { mse: train.mse }),
        ...(val === null ? {} : { valLoss: val.loss, ...(val.accuracy !== undefined ? { valAccuracy: val.accuracy } : { valMse: val.mse }) }),
        ...(test === null ? {} : { testLoss: test.loss, testAccuracy: test.accuracy }),
      };
      this.emit({ type: 'model', bytes: encodeTensors(this.model.stateDict(), { format: 'pt' }) });
      if (this.gridSpec !== null && (this.lastGrid === null || this.lastGrid.step !== s.step)) {
        this.lastGrid = computeGrid(this.model, this.gridSpec, s.step);
        this.emit({ type: 'grid', grid: this.lastGrid });
      }
      const what =
        (final.accuracy !== undefined ? `training accuracy ${final.accuracy.toFixed(4)}` : `training MSE ${final.mse?.toPrecision(4)}`) +
        (final.testAccuracy !== undefined ? `, test accuracy ${final.testAccuracy.toFixed(4)}` : '');
      message = status === 'completed'
        ? `Trained ${s.step} steps: loss ${final.loss.toFixed(4)}, ${what}.`
        : `Stopped at step ${s.step} of ${this.totalSteps}; weights so far kept (loss ${final.loss.toFixed(4)}, ${what}). Resume from checkpoints/${checkpointName(s.step)}.`;
    }
    const points = this.plotPoints();
    // Plots are a view of the run, not the run: if one cannot be drawn, the weights still count.
    const plots = await renderPlots(this.records, status === 'diverged' ? null : this.lastGrid, points, c.modelName);
    for (const plot of plots.files) this.emit({ type: 'plot', name: plot.name, bytes: plot.bytes });
    if (plots.errors.length > 0) message += ` (Not drawn: ${plots.errors.join('; ')})`;
    const result: RunResult = {
      status,
      message,
      runDir: this.input.runDir,
      step: s.step,
      totalSteps: this.totalSteps,
      elapsedSec: s.elapsedMs / 1000,
      final,
      checkpoints: this.checkpoints.slice(),
      hasModel: status !== 'diverged',
      timing: { trainingSec: (s.elapsedMs - this.runStartElapsed) / 1000, engineSec: this.engineMs / 1000 },
    };
    this.emit({ type: 'result', result });
    return result;
  }
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function identity(n: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  return p;
}
