/**
 * Messages of a training run: what the training thread reports (to the host that writes files, to the
 * progress notification, to the webview chart). Types only, browser-safe, shared by engine/train,
 * extension/training and webview/training so both ends of every message agree.
 */

export type Task = 'binary' | 'multiclass' | 'regression';

/** One line of metrics.jsonl. Validation fields are absent when there is no validation split. */
export interface MetricsRecord {
  step: number;
  /** Fractional epoch: step / stepsPerEpoch. */
  epoch: number;
  /** Mean training loss of the batches since the previous record. */
  loss: number;
  valLoss?: number;
  /**
   * Classifiers: accuracy of the training batches of the last epoch before the record (at most since
   * the previous record), each measured before its update, as Keras reports it.
   */
  accuracy?: number;
  /** Validation metrics: computed once per epoch at most (on up to 4,096 samples), and at the last step. */
  valAccuracy?: number;
  /** Regression: mean squared error of the same batches. */
  mse?: number;
  valMse?: number;
  lr: number;
  stepsPerSec: number;
  elapsedSec: number;
  etaSec: number;
  /** Wall-clock time of the record, ISO 8601. */
  time: string;
}

/** A model prediction grid over the data's range, for a decision boundary (2-D) or a fitted curve (1-D). */
export type PlotGrid =
  | {
      kind: 'boundary';
      step: number;
      task: 'binary' | 'multiclass';
      x0: number;
      x1: number;
      y0: number;
      y1: number;
      width: number;
      height: number;
      /** Row-major from (x0, y1) at the top left: probability of class 1 (binary) or the class index. */
      values: Float32Array;
      classes: number;
    }
  | {
      kind: 'curve';
      step: number;
      xs: Float32Array;
      ys: Float32Array;
    };

/** Data points drawn under the grid (a sample of at most a few thousand). */
export interface PlotPoints {
  dims: 1 | 2;
  /** x1 values (and x2 for 2-D inputs). */
  a: Float32Array;
  b: Float32Array | null;
  /** Label per point (class index or target value). */
  label: Float32Array;
}

export interface RunInfo {
  runDir: string;
  modelName: string;
  task: Task;
  classes: number;
  trainSize: number;
  valSize: number;
  stepsPerEpoch: number;
  totalSteps: number;
  /** The step the run starts from (0, or the checkpoint it resumes). */
  startStep: number;
  /** The metrics records up to startStep (a resumed run's earlier curve); empty for a new run. */
  history: MetricsRecord[];
  points: PlotPoints | null;
}

export type RunStatus = 'completed' | 'stopped' | 'diverged' | 'failed';

export interface FinalMetrics {
  loss: number;
  accuracy?: number;
  mse?: number;
  valLoss?: number;
  valAccuracy?: number;
  valMse?: number;
  /** On the data's separate test set (image data that has one). */
  testLoss?: number;
  testAccuracy?: number;
}

/** result.json: how a run ended. */
export interface RunResult {
  status: RunStatus;
  message: string;
  runDir: string;
  step: number;
  totalSteps: number;
  elapsedSec: number;
  final: FinalMetrics | null;
  /** Checkpoint file names in checkpoints/, oldest first. */
  checkpoints: string[];
  /** model.safetensors exists (not written for diverged runs: their weights are not finite). */
  hasModel: boolean;
  /**
   * This session's time in step bursts, and the part of it inside the engine (forward, loss, backward,
   * optimizer step); the difference is the run's own overhead (metrics, messages, checkpoints, grids).
   */
  timing?: { trainingSec: number; engineSec: number };
}

/** What the training thread emits, in order: loading (CSV files), started, then any of the others, then result. */
export type TrainEvent =
  /** Reading a data file (CSV), before 'started': bytes so far of totalBytes. */
  | { type: 'loading'; bytes: number; totalBytes: number }
  | { type: 'started'; info: RunInfo }
  | { type: 'metrics'; record: MetricsRecord }
  | { type: 'grid'; grid: PlotGrid }
  | { type: 'checkpoint'; step: number; name: string; bytes: Uint8Array }
  | { type: 'model'; bytes: Uint8Array }
  | { type: 'plot'; name: string; bytes: Uint8Array }
  | { type: 'log'; message: string }
  | { type: 'result'; result: RunResult };
