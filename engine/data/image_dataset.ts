/**
 * A labelled image set held as bytes: 60,000 Fashion-MNIST images are 47 MB as a Uint8Array, against
 * 188 MB as float32 (and as much again for any copy). Pixels become floats only one batch at a time, in
 * buffers the caller reuses (`gatherInto`), which is where the transforms then run.
 */
import { Tensor } from '../tensor';
import { Generator } from '../random';
import type { Dataset } from './dataset';
import type { TransformSpec } from './image_specs';
import { applyTransforms } from './transforms';

/** Per-sample image shape: channels, height, width (pixels stored channel-major, like PyTorch's CHW). */
export type ImageShape = readonly [channels: number, height: number, width: number];

export class ByteImageDataset implements Dataset {
  readonly sampleSize: number;

  constructor(
    /** length x C x H x W pixel values 0..255. */
    readonly images: Uint8Array,
    /** Class index of each image. */
    readonly labels: Int32Array,
    readonly shape: ImageShape,
    /** Class names by index (for IDX files without names: '0', '1', ...). */
    readonly classNames: readonly string[],
  ) {
    this.sampleSize = shape[0] * shape[1] * shape[2];
    if (!shape.every((d) => Number.isInteger(d) && d > 0))
      throw new Error(`ByteImageDataset: the image shape must be positive integers [C, H, W], got [${shape.join(', ')}]`);
    if (images.length !== labels.length * this.sampleSize) {
      throw new Error(
        `ByteImageDataset: ${labels.length} labels need ${labels.length * this.sampleSize} pixel bytes for images of [${shape.join(', ')}], got ${images.length}`,
      );
    }
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classNames.length)
        throw new Error(`ByteImageDataset: image ${i} has label ${labels[i]}, outside the ${classNames.length} classes 0..${classNames.length - 1}`);
    }
  }

  get length(): number {
    return this.labels.length;
  }

  /** Image i as raw pixel values (0..255, before any transform) and its label, like torch's Dataset. */
  get(i: number): Tensor[] {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) throw new Error(`ByteImageDataset: index ${i} out of range for ${this.length} images`);
    const x = Float32Array.from(this.images.subarray(i * this.sampleSize, (i + 1) * this.sampleSize));
    return [new Tensor(x, this.shape), new Tensor(Float32Array.of(this.labels[i]), [])];
  }

  /**
   * Images `order[from..to)` as float pixel values 0..255 into `x` (row after row of sampleSize values),
   * and their labels into `y`; both buffers are the caller's, reused across batches.
   */
  gatherInto(order: ArrayLike<number>, from: number, to: number, x: Float32Array, y: Float32Array): void {
    const size = this.sampleSize;
    for (let k = 0; k < to - from; k++) {
      const i = order[from + k];
      const src = this.images.subarray(i * size, (i + 1) * size);
      const dst = k * size;
      for (let p = 0; p < size; p++) x[dst + p] = src[p];
      y[k] = this.labels[i];
    }
  }

  /**
   * Images [from, to) as one float batch [to - from, ...sampleShape] after the deterministic transforms
   * (no flips or crops), and their labels [to - from]: for evaluating on a validation or test set, or on
   * the training set chunk by chunk, without a float copy of all of it.
   */
  toTensors(transforms: readonly TransformSpec[], sampleShape: readonly number[] = this.shape, from = 0, to = this.length): [Tensor, Tensor] {
    if (!(0 <= from && from <= to && to <= this.length))
      throw new Error(`ByteImageDataset.toTensors: range [${from}, ${to}) is outside the ${this.length} images`);
    if (sampleShape.reduce((a, b) => a * b, 1) !== this.sampleSize)
      throw new Error(
        `ByteImageDataset.toTensors: samples of [${sampleShape.join(', ')}] do not hold the ${this.sampleSize} values of a [${this.shape.join(', ')}] image`,
      );
    const rows = to - from;
    const x = new Float32Array(rows * this.sampleSize);
    const y = new Float32Array(rows);
    const order = Int32Array.from({ length: rows }, (_, k) => from + k);
    this.gatherInto(order, 0, rows, x, y);
    applyTransforms(transforms, x, rows, this.shape, new Generator(0), false);
    return [new Tensor(x, [rows, ...sampleShape]), new Tensor(y, [rows])];
  }

  /** The images at `indices` as a dataset of their own (a copy of their bytes), for validation splits and subsets. */
  take(indices: ArrayLike<number>): ByteImageDataset {
    const size = this.sampleSize;
    const images = new Uint8Array(indices.length * size);
    const labels = new Int32Array(indices.length);
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k];
      if (!Number.isInteger(i) || i < 0 || i >= this.length)
        throw new Error(`ByteImageDataset.take: index ${i} out of range for ${this.length} images`);
      images.set(this.images.subarray(i * size, (i + 1) * size), k * size);
      labels[k] = this.labels[i];
    }
    return new ByteImageDataset(images, labels, this.shape, this.classNames);
  }

  /** Images per class, by class index (for the data preview's class counts). */
  classCounts(): number[] {
    const counts = new Array<number>(this.classNames.length).fill(0);
    for (let i = 0; i < this.labels.length; i++) counts[this.labels[i]]++;
    return counts;
  }
}
