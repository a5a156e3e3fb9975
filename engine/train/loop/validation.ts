/**
 * The model measured on held-out rows: the validation split during the run (once per epoch at most, and
 * at the end: it costs forward passes, the training metrics do not), and every split when the run ends.
 */
import type { Module } from '../../nn';
import type { FinalMetrics, Task } from '../protocol';
import { evaluate, type EvaluateOptions, type Evaluation } from '../evaluate';
import { evaluateRows, type SampleRows } from '../rows';
import type { RunRows } from '../run_data';

/** Validation during the run looks at this many samples at most. */
const VAL_SAMPLES = 4096;

export class Validation {
  private lastStep = 0;

  constructor(
    private readonly model: Module,
    private readonly criterion: Module,
    private readonly task: Task,
    private readonly data: RunRows,
    private readonly options: EvaluateOptions,
    private readonly stepsPerEpoch: number,
    private readonly totalSteps: number,
  ) {}

  /** A resumed run validates next one epoch after its checkpoint. */
  resumeAt(step: number): void {
    this.lastStep = step;
  }

  /** The validation metrics for the record at `step`, when one is due; null otherwise. */
  at(step: number): Evaluation | null {
    const val = this.data.val;
    if (val === null || (step - this.lastStep < this.stepsPerEpoch && step !== this.totalSteps)) return null;
    this.lastStep = step;
    return this.on(val, VAL_SAMPLES);
  }

  private on(rows: SampleRows, limit: number): Evaluation {
    const [x, y] = rows.slice(0, Math.min(limit, rows.length));
    return evaluate(this.model, this.criterion, this.task, x, y, this.options);
  }

  /** Over every sample of each split, chunk by chunk with the event loop turning in between (the CLI's thread). */
  async final(): Promise<FinalMetrics> {
    const { model, criterion, task, data, options } = this;
    const train = await evaluateRows(model, criterion, task, data.train, options);
    const val = data.val === null ? null : await evaluateRows(model, criterion, task, data.val, options);
    const test = data.test === null ? null : await evaluateRows(model, criterion, task, data.test, options);
    return {
      loss: train.loss,
      ...(train.accuracy !== undefined ? { accuracy: train.accuracy } : { mse: train.mse }),
      ...(val === null ? {} : { valLoss: val.loss, ...(val.accuracy !== undefined ? { valAccuracy: val.accuracy } : { valMse: val.mse }) }),
      ...(test === null ? {} : { testLoss: test.loss, testAccuracy: test.accuracy }),
    };
  }
}
