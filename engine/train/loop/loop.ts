/**
 * The training loop proper: epochs of mini-batch steps in bursts, with all the state a checkpoint
 * captures. Its parts each do one job: Batches (permutations and buffers), running_metrics (the records),
 * Validation (held-out rows during and after the run), LiveGrid (the decision boundary), CheckpointLog,
 * divergence (NaN losses and weights) and runResult (the result, built once).
 */
import type { Tensor } from '../../tensor';
import { defaultGenerator } from '../../random';
import type { Module } from '../../nn';
import type { FinalMetrics, MetricsRecord, RunInfo, RunResult, RunStatus, TrainEvent } from '../protocol';
import { makeLoss, makeOptimizer, makeScheduler, takesLogits, type AnyOptimizer } from '../setup';
import type { RunRows } from '../run_data';
import { checkpointName, packCheckpoint, unpackCheckpoint, type LoopState } from '../checkpoint';
import { encodeTensors, decodeTensors } from '../codec';
import { renderPlots } from '../plots/render';
import type { SessionInput } from '../session';
import { Batches } from './batches';
import { trackBatch, takeRecord } from './running_metrics';
import { Validation } from './validation';
import { LiveGrid } from './live_grid';
import { CheckpointLog } from './checkpoints';
import { divergenceMessage, lossGrowth, weightsFinite, type Divergence } from './divergence';
import { runResult } from './result';

/** Steps run in bursts of about this long; the event loop turns between two (stop requests, signals). */
const BURST_MS = 50;
/** The decision boundary is redrawn at most this often unless the input says otherwise. */
const GRID_INTERVAL_MS = 500;

export class Loop {
  readonly state: LoopState;
  readonly totalSteps: number;
  readonly checkpoints: CheckpointLog;
  private readonly batches: Batches;
  private readonly stepsPerEpoch: number;
  private readonly criterion: Module;
  private readonly optimizer: AnyOptimizer;
  private readonly scheduler: ReturnType<typeof makeScheduler>;
  private readonly validation: Validation;
  private readonly grid: LiveGrid;
  private readonly logEvery: number;
  /** Training metrics come from the batches of the last epoch (at most) before each record. */
  private readonly trackWindow: number;
  private readonly records: MetricsRecord[] = [];
  private readonly logits: boolean;
  private readonly task: RunInfo['task'];
  private lastLogAt = performance.now();
  private divergedAt: Divergence | null = null;
  /** The loss of this session's first batch (at initialisation for a new run): where growth is measured from. */
  private startLoss: number | null = null;
  private runStartStep = 0;
  private runStartElapsed = 0;
  private burstStart = 0;
  /** Time inside forward, loss, backward and optimizer step in this session. */
  private engineMs = 0;

  constructor(
    private readonly input: SessionInput,
    private readonly model: Module,
    private readonly data: RunRows,
    private readonly emit: (e: TrainEvent) => void,
    private readonly stopRequested: () => boolean,
  ) {
    const c = input.config;
    this.task = data.task;
    this.batches = new Batches(data.train, c);
    this.stepsPerEpoch = this.batches.stepsPerEpoch;
    this.totalSteps = this.stepsPerEpoch * c.epochs;
    this.criterion = makeLoss(c.loss);
    this.logits = takesLogits(c.loss.type);
    this.optimizer = makeOptimizer(model, c.optimizer);
    this.scheduler = makeScheduler(this.optimizer, c.schedule);
    this.logEvery = c.logEvery > 0 ? c.logEvery : Math.max(1, Math.floor(this.totalSteps / 100));
    this.trackWindow = Math.min(this.logEvery, this.stepsPerEpoch);
    this.checkpoints = new CheckpointLog(c.checkpointEvery > 0 ? c.checkpointEvery : Math.max(1, Math.ceil(this.totalSteps / 10)));
    const evalOptions = { logits: this.logits, reduction: c.loss.reduction };
    this.validation = new Validation(model, this.criterion, this.task, data, evalOptions, this.stepsPerEpoch, this.totalSteps);
    this.grid = new LiveGrid(data, this.task, data.classes, this.logits, input.gridIntervalMs ?? GRID_INTERVAL_MS);
    this.state = {
      step: 0,
      epoch: 0,
      batchInEpoch: 0,
      shuffleState: this.batches.shuffleState(),
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
      classes: d.classes,
      trainSize: d.train.length,
      valSize: d.val?.length ?? 0,
      stepsPerEpoch: this.stepsPerEpoch,
      totalSteps: this.totalSteps,
      startStep: this.state.step,
      history: this.records.slice(),
      points: this.grid.points(),
    };
  }

  restore(bytes: Uint8Array, name: string, metrics: MetricsRecord[]): void {
    const { tensors, metadata } = decodeTensors(bytes);
    const ck = unpackCheckpoint(tensors, metadata, name);
    this.model.loadStateDict(ck.modelState);
    this.optimizer.loadStateDict(ck.optimizerState);
    if (this.scheduler !== null && ck.meta.scheduler !== null) this.scheduler.loadStateDict(ck.meta.scheduler);
    Object.assign(this.state, ck.meta.loop);
    defaultGenerator.setState(this.state.generatorState);
    this.batches.restore(this.state);
    if (this.state.augmentState !== undefined) this.data.train.setState(this.state.augmentState);
    this.checkpoints.resumedFrom(name, this.state.step);
    this.validation.resumeAt(this.state.step);
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
    while (s.step < this.totalSteps) {
      const [xb, yb]: [Tensor, Tensor] = this.batches.next(s);
      // The engine's share of the step is timed so the run can report its own overhead (bench/training_overhead).
      const t0 = performance.now();
      const out = model.forward(xb);
      const loss = criterion.forward(out, yb);
      const lv = loss.data[0];
      if (!Number.isFinite(lv)) {
        this.divergedAt = { step: s.step + 1, loss: lv };
        return;
      }
      this.startLoss ??= lv;
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      const t1 = performance.now();
      this.engineMs += t1 - t0;
      s.lossSum += lv;
      s.lossCount++;
      // For the full-batch spiral that is one batch per record instead of every step.
      if (s.step >= Math.min(s.lastLogStep + this.logEvery, this.totalSteps) - this.trackWindow)
        trackBatch(s, this.task, this.logits, out.data, yb.data, yb.shape[0]);
      s.step++;
      if (++s.batchInEpoch === this.stepsPerEpoch) {
        s.epoch++;
        s.batchInEpoch = 0;
        this.batches.endEpoch();
        this.scheduler?.step();
      }
      if (s.step - s.lastLogStep >= this.logEvery || s.step === this.totalSteps) {
        this.log();
        if (this.divergedAt !== null) return;
      }
      if (this.checkpoints.due(s.step)) {
        this.saveCheckpoint();
        if (this.divergedAt !== null) return;
      }
      if (t1 - this.burstStart > BURST_MS) return;
      if (this.stopRequested()) return;
    }
  }

  private log(): void {
    const s = this.state;
    const now = performance.now();
    const val = this.validation.at(s.step);
    const timing = {
      now,
      lastLogAt: this.lastLogAt,
      elapsedMs: s.elapsedMs + (now - this.burstStart),
      runStartStep: this.runStartStep,
      runStartElapsed: this.runStartElapsed,
    };
    const record = takeRecord(s, this.task, this.stepsPerEpoch, this.totalSteps, this.optimizer.lr, timing, val);
    this.lastLogAt = now;
    this.records.push(record);
    this.emit({ type: 'metrics', record });
    // A finite loss can diverge too: from the lower of this session's first batch and the run's first record.
    const from = Math.min(this.startLoss ?? Infinity, this.records[0].loss);
    if (Number.isFinite(from)) this.divergedAt = lossGrowth(from, record.loss, s.step, s.step === this.totalSteps);
    if (this.divergedAt !== null) return;
    const grid = this.grid.refresh(this.model, s.step, now, s.step === this.totalSteps);
    if (grid !== null) this.emit({ type: 'grid', grid });
  }

  /** Writes a checkpoint of the current step, unless the weights are no longer finite (the run then diverged). */
  saveCheckpoint(): void {
    const s = this.state;
    if (!weightsFinite(this.model)) {
      this.divergedAt = { step: s.step, loss: NaN, weights: true };
      return;
    }
    this.batches.capture(s);
    s.generatorState = defaultGenerator.getState();
    const augment = this.data.train.getState();
    if (augment !== null) s.augmentState = augment;
    const packed = packCheckpoint(this.model.stateDict(), this.optimizer.stateDict(), this.scheduler?.stateDict() ?? null, s);
    const name = checkpointName(s.step);
    this.emit({ type: 'checkpoint', step: s.step, name, bytes: encodeTensors(packed.tensors, packed.metadata) });
    this.checkpoints.written(name, s.step);
  }

  async finish(status: RunStatus): Promise<RunResult> {
    const s = this.state;
    const c = this.input.config;
    let final: FinalMetrics | null = null;
    let message: string;
    if (status === 'diverged') {
      message = divergenceMessage(this.divergedAt!, c.optimizer.lr, this.checkpoints.last());
    } else {
      if (!this.checkpoints.isAt(s.step)) this.saveCheckpoint();
      if (this.divergedAt !== null) return this.finish('diverged');
      final = await this.validation.final();
      this.emit({ type: 'model', bytes: encodeTensors(this.model.stateDict(), { format: 'pt' }) });
      const grid = this.grid.atEnd(this.model, s.step);
      if (grid !== null) this.emit({ type: 'grid', grid });
      const what =
        (final.accuracy !== undefined ? `training accuracy ${final.accuracy.toFixed(4)}` : `training MSE ${final.mse?.toPrecision(4)}`) +
        (final.valAccuracy !== undefined
          ? `, validation accuracy ${final.valAccuracy.toFixed(4)}`
          : final.valMse !== undefined
            ? `, validation MSE ${final.valMse.toPrecision(4)}`
            : '') +
        (final.testAccuracy !== undefined ? `, test accuracy ${final.testAccuracy.toFixed(4)}` : '');
      message =
        status === 'completed'
          ? `Trained ${s.step} steps: loss ${final.loss.toFixed(4)}, ${what}.`
          : `Stopped at step ${s.step} of ${this.totalSteps}; weights so far kept (loss ${final.loss.toFixed(4)}, ${what}). Resume from checkpoints/${checkpointName(s.step)}.`;
    }
    // Plots are a view of the run, not the run: if one cannot be drawn, the weights still count.
    const plots = await renderPlots(this.records, status === 'diverged' ? null : this.grid.last, this.grid.points(), c.modelName);
    for (const plot of plots.files) this.emit({ type: 'plot', name: plot.name, bytes: plot.bytes });
    if (plots.errors.length > 0) message += ` (Not drawn: ${plots.errors.join('; ')})`;
    const result = runResult({
      status,
      message,
      runDir: this.input.runDir,
      step: s.step,
      totalSteps: this.totalSteps,
      elapsedSec: s.elapsedMs / 1000,
      final,
      checkpoints: this.checkpoints.names.slice(),
      hasModel: status !== 'diverged',
      timing: { trainingSec: (s.elapsedMs - this.runStartElapsed) / 1000, engineSec: this.engineMs / 1000 },
    });
    this.emit({ type: 'result', result });
    return result;
  }
}
