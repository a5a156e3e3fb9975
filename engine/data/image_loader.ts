/**
 * Mini-batches over a ByteImageDataset, in data.DataLoader's terms (batchSize, shuffle, dropLast; one
 * iteration = the rest of one epoch), with what a training run over real images also needs: batches
 * assembled into reused Float32Array buffers (the yielded tensors are overwritten by the next batch), the
 * transforms applied on the fly, and a state to save in a checkpoint. The state is the epoch, the batch
 * reached in it, the order generator's state before it drew the epoch's permutation and the augmentation
 * generator's state at that batch; an iterator restored from it yields exactly the batches the saved one
 * would have.
 */
import { Tensor } from '../tensor';
import { Generator } from '../random';
import type { ByteImageDataset } from './image_dataset';
import { applyTransforms, checkTransforms } from './transforms';
import type { TransformSpec } from './image_specs';

export interface ImageLoaderOptions {
  batchSize?: number;
  /** A new order every epoch, drawn from a generator seeded by `seed`. */
  shuffle?: boolean;
  dropLast?: boolean;
  /** Seeds the order and the random transforms (two streams of their own, independent of model init). */
  seed?: number;
  transforms?: readonly TransformSpec[];
  /** Random transforms run only when training (default true): an evaluation loader sets false. */
  training?: boolean;
  /** Shape of each sample in the batches, when the model wants another view of the same values (e.g. [784]). */
  sampleShape?: readonly number[];
}

export interface ImageLoaderState {
  epoch: number;
  batch: number;
  orderState: number[];
  augmentState: number[];
}

export class ImageBatchLoader implements Iterable<Tensor[]> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly training: boolean;
  readonly transforms: readonly TransformSpec[];
  readonly sampleShape: readonly number[];
  private readonly order = new Generator();
  private readonly augment = new Generator();
  private epoch = 0;
  private batch = 0;
  /** The order generator's state before this epoch's permutation was drawn. */
  private epochOrderState: number[];
  private perm: Int32Array | null = null;
  private readonly full: { x: Float32Array; y: Float32Array; tensors: Tensor[] };
  private tail: { x: Float32Array; y: Float32Array; tensors: Tensor[] } | null = null;
  private readonly scratch: Float32Array;

  constructor(
    readonly dataset: ByteImageDataset,
    options: ImageLoaderOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 1;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1)
      throw new Error(`ImageBatchLoader: batchSize must be a positive integer, got ${options.batchSize}`);
    this.shuffle = options.shuffle ?? false;
    this.dropLast = options.dropLast ?? false;
    this.training = options.training ?? true;
    this.transforms = options.transforms ?? [];
    checkTransforms(this.transforms, dataset.shape);
    this.sampleShape = options.sampleShape ?? dataset.shape;
    const size = this.sampleShape.reduce((a, b) => a * b, 1);
    if (size !== dataset.sampleSize) {
      throw new Error(
        `ImageBatchLoader: the images are [${dataset.shape.join(', ')}] (${dataset.sampleSize} values) but the samples should be [${this.sampleShape.join(', ')}] (${size} values)`,
      );
    }
    const seed = options.seed ?? 0;
    this.order.manualSeed((seed ^ 0x5eed) >>> 0);
    this.augment.manualSeed((seed ^ 0xa11e) >>> 0);
    this.epochOrderState = this.order.getState();
    this.full = this.buffers(Math.min(this.batchSize, dataset.length));
    this.scratch = new Float32Array(dataset.sampleSize);
  }

  /** Batches per epoch. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  getState(): ImageLoaderState {
    return { epoch: this.epoch, batch: this.batch, orderState: this.epochOrderState.slice(), augmentState: this.augment.getState() };
  }

  setState(state: ImageLoaderState): void {
    if (!Number.isInteger(state.batch) || state.batch < 0 || state.batch > this.length)
      throw new Error(`ImageBatchLoader.setState: batch ${state.batch} is outside an epoch of ${this.length} batches`);
    this.epoch = state.epoch;
    this.batch = state.batch;
    this.epochOrderState = state.orderState.slice();
    this.order.setState(state.orderState);
    this.augment.setState(state.augmentState);
    this.perm = null;
  }

  /** The next batch [x, y] (x: [B, ...sampleShape] after the transforms, y: [B] class indices), moving to the next epoch after the last. */
  next(): Tensor[] {
    if (this.batch >= this.length) this.startEpoch();
    if (this.perm === null) this.perm = this.drawOrder();
    const n = this.dataset.length;
    const from = this.batch * this.batchSize;
    const to = Math.min(n, from + this.batchSize);
    const buf = to - from === this.full.y.length ? this.full : (this.tail ??= this.buffers(to - from));
    this.dataset.gatherInto(this.perm, from, to, buf.x, buf.y);
    applyTransforms(this.transforms, buf.x, to - from, this.dataset.shape, this.augment, this.training, this.scratch);
    this.batch++;
    return buf.tensors;
  }

  /** The rest of the current epoch (all of it when it has not started). */
  *[Symbol.iterator](): Iterator<Tensor[]> {
    if (this.batch >= this.length) this.startEpoch();
    while (this.batch < this.length) yield this.next();
  }

  get currentEpoch(): number {
    return this.epoch;
  }

  private startEpoch(): void {
    // The next epoch's order continues the stream after this epoch's permutation (drawn here if no batch
    // of it was taken since a restore).
    if (this.shuffle && this.perm === null) this.perm = this.drawOrder();
    this.epoch++;
    this.batch = 0;
    this.epochOrderState = this.order.getState();
    this.perm = null;
  }

  /** This epoch's order: drawn from the order generator restored to the epoch's start, so it is the same after a resume. */
  private drawOrder(): Int32Array {
    const n = this.dataset.length;
    if (!this.shuffle) return Int32Array.from({ length: n }, (_, i) => i);
    this.order.setState(this.epochOrderState);
    return this.order.permutation(n);
  }

  private buffers(rows: number): { x: Float32Array; y: Float32Array; tensors: Tensor[] } {
    const x = new Float32Array(rows * this.dataset.sampleSize);
    const y = new Float32Array(rows);
    return { x, y, tensors: [new Tensor(x, [rows, ...this.sampleShape]), new Tensor(y, [rows])] };
  }
}
