/**
 * The training metrics of a run's records: running sums of loss and accuracy (or squared error) over the
 * batches since the last record, from the outputs each step computed anyway (no extra forward pass, a
 * few hundred comparisons per step), and the record built from them.
 */
import type { LoopState } from '../checkpoint';
import type { MetricsRecord, Task } from '../protocol';
import { predictedClass, type Evaluation } from '../evaluate';

/** Adds one batch's correct predictions (classifiers) or squared error (regression) to the running sums. */
export function trackBatch(s: LoopState, task: Task, logits: boolean, out: Float32Array, y: Float32Array, rows: number): void {
  if (task === 'regression') {
    let e = 0;
    for (let i = 0; i < out.length; i++) {
      const d = out[i] - y[i];
      e += d * d;
    }
    s.metricSum += e;
    s.metricCount += out.length;
  } else if (task === 'binary') {
    const thr = logits ? 0 : 0.5;
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

export interface RecordTiming {
  now: number;
  /** When the previous record was taken (performance.now()). */
  lastLogAt: number;
  /** Training time of the whole run so far, and the step and time this session started from (for the ETA). */
  elapsedMs: number;
  runStartStep: number;
  runStartElapsed: number;
}

/**
 * The record at step `s.step`, from the running sums since the last one, which it resets. Built field by
 * field (no spreads): this runs a few hundred times per run, mostly before V8 optimises it.
 */
export function takeRecord(
  s: LoopState,
  task: Task,
  stepsPerEpoch: number,
  totalSteps: number,
  lr: number,
  t: RecordTiming,
  val: Evaluation | null,
): MetricsRecord {
  const trainMetric = s.metricSum / Math.max(1, s.metricCount);
  const rate = (s.step - t.runStartStep) / Math.max(1e-9, (t.elapsedMs - t.runStartElapsed) / 1000);
  const record: MetricsRecord = {
    step: s.step,
    epoch: s.step / stepsPerEpoch,
    loss: s.lossSum / Math.max(1, s.lossCount),
    lr,
    stepsPerSec: (s.step - s.lastLogStep) / Math.max(1e-9, (t.now - t.lastLogAt) / 1000),
    elapsedSec: t.elapsedMs / 1000,
    etaSec: (totalSteps - s.step) / Math.max(1e-9, rate),
    time: new Date().toISOString(),
  };
  if (s.metricCount > 0) {
    if (task === 'regression') record.mse = trainMetric;
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
  return record;
}
