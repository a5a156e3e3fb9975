/**
 * A run's samples as the loop reads them, whatever they are stored as: float tensors (built-in sets,
 * CSV, safetensors) or image bytes (IDX, Fashion-MNIST, image folders). The loop draws its own order and
 * asks for rows of it into reused batch buffers; evaluation reads consecutive slices as tensors, so a
 * 60,000-image set is never copied to floats as a whole.
 */
import { Tensor } from '../tensor';
import { Generator } from '../random';
import type { ByteImageDataset } from '../data/image_dataset';
import { applyTransforms } from '../data/transforms';
import type { TransformSpec } from '../data/image_specs';
import type { Module } from '../nn';
import { gatherRows } from './split';
import { evaluate, mergeWorst, type EvaluateOptions, type Evaluation, type Misclassified } from './evaluate';
import type { Task } from './protocol';

export interface SampleRows {
  readonly length: number;
  /** Shape of one input and of one label. */
  readonly xShape: readonly number[];
  readonly yShape: readonly number[];
  /** Copies rows order[from..to) into the batch buffers, with the training transforms applied. */
  gather(order: Int32Array, from: number, to: number, x: Float32Array, y: Float32Array): void;
  /** Rows [from, to) as evaluation tensors (deterministic transforms only). */
  slice(from: number, to: number): [Tensor, Tensor];
  /** The random-transform generator's state (null when the rows have none), kept in checkpoints. */
  getState(): number[] | null;
  setState(state: number[]): void;
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

export class TensorRows implements SampleRows {
  readonly xShape: readonly number[];
  readonly yShape: readonly number[];
  private readonly xRow: number;
  private readonly yRow: number;

  constructor(
    readonly x: Tensor,
    readonly y: Tensor,
  ) {
    this.xShape = x.shape.slice(1);
    this.yShape = y.shape.slice(1);
    this.xRow = sizeOf(this.xShape);
    this.yRow = sizeOf(this.yShape);
  }

  get length(): number {
    return this.x.shape[0];
  }

  gather(order: Int32Array, from: number, to: number, x: Float32Array, y: Float32Array): void {
    gatherRows(this.x.data, this.xRow, order, from, to, x);
    gatherRows(this.y.data, this.yRow, order, from, to, y);
  }

  slice(from: number, to: number): [Tensor, Tensor] {
    if (from === 0 && to === this.length) return [this.x, this.y];
    return [
      new Tensor(this.x.data.subarray(from * this.xRow, to * this.xRow), [to - from, ...this.xShape]),
      new Tensor(this.y.data.subarray(from * this.yRow, to * this.yRow), [to - from, ...this.yShape]),
    ];
  }

  getState(): null {
    return null;
  }

  setState(): void {}
}

/**
 * Image bytes with the data's transforms: each batch is converted and transformed as it is gathered, the
 * random transforms drawing from a generator of their own (seeded from the run's seed), whose state a
 * checkpoint keeps so a resumed run sees the same augmented batches.
 */
export class ImageRows implements SampleRows {
  readonly xShape: readonly number[];
  readonly yShape: readonly number[] = [];
  private readonly augment: Generator;
  private readonly scratch: Float32Array;

  constructor(
    readonly dataset: ByteImageDataset,
    readonly transforms: readonly TransformSpec[],
    inputShape: readonly number[],
    seed: number,
  ) {
    this.xShape = inputShape;
    this.augment = new Generator((seed ^ 0xa11e) >>> 0);
    this.scratch = new Float32Array(dataset.sampleSize);
  }

  get length(): number {
    return this.dataset.length;
  }

  gather(order: Int32Array, from: number, to: number, x: Float32Array, y: Float32Array): void {
    this.dataset.gatherInto(order, from, to, x, y);
    applyTransforms(this.transforms, x, to - from, this.dataset.shape, this.augment, true, this.scratch);
  }

  slice(from: number, to: number): [Tensor, Tensor] {
    return this.dataset.toTensors(this.transforms, this.xShape, from, to);
  }

  getState(): number[] {
    return this.augment.getState();
  }

  setState(state: number[]): void {
    this.augment.setState(state);
  }
}

const EVAL_CHUNK = 4096;

/**
 * Loss, accuracy or MSE (and the confusion matrix when asked) over the first `limit` rows, one slice of
 * EVAL_CHUNK rows at a time with the event loop turning in between: image rows are converted per slice.
 */
export async function evaluateRows(
  model: Module,
  criterion: Module,
  task: Task,
  rows: SampleRows,
  options: EvaluateOptions = {},
  limit = rows.length,
): Promise<Evaluation> {
  const n = Math.min(limit, rows.length);
  let lossSum = 0;
  let metricSum = 0;
  let confusion: number[][] | undefined;
  let worst: Misclassified[] | undefined;
  for (let from = 0; from < n; from += EVAL_CHUNK) {
    const to = Math.min(n, from + EVAL_CHUNK);
    const [x, y] = rows.slice(from, to);
    const ev = evaluate(model, criterion, task, x, y, options);
    const w = to - from;
    lossSum += options.reduction === 'sum' ? ev.loss : ev.loss * w;
    metricSum += (task === 'regression' ? ev.mse! : ev.accuracy!) * w;
    if (ev.confusion !== undefined)
      confusion = confusion === undefined ? ev.confusion : confusion.map((row, i) => row.map((v, j) => v + ev.confusion![i][j]));
    if (ev.worst !== undefined)
      worst = mergeWorst(
        worst ?? [],
        ev.worst.map((m) => ({ ...m, index: m.index + from })),
        options.worst ?? 0,
      );
    if (to < n) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const loss = options.reduction === 'sum' ? lossSum : lossSum / n;
  if (task === 'regression') return { loss, mse: metricSum / n, samples: n };
  return { loss, accuracy: metricSum / n, ...(confusion === undefined ? {} : { confusion }), ...(worst === undefined ? {} : { worst }), samples: n };
}
