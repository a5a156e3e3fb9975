/**
 * From an image data spec (image_specs.ts) to data sets (Node only): the training images, the separate
 * test set when the spec has one, and the transforms to run. The entry point a training run calls; paths
 * are resolved against the model file's folder.
 */
import * as path from 'node:path';
import type { ByteImageDataset, ImageShape } from './image_dataset';
import { readIdxDataset, type IdxPairFiles, type ReadProgress } from './idx_file';
import { readImageFolder } from './image_folder';
import { fashionMnistFiles } from './fashion_mnist';
import { DEFAULT_TRANSFORMS, checkTransforms } from './transforms';
import type { ImageDataSpec, ImageFolderSpec, TransformSpec } from './image_specs';

export interface ImageData {
  train: ByteImageDataset;
  /** The test set (distinct from any validation split), or null when the spec has none. */
  test: ByteImageDataset | null;
  transforms: readonly TransformSpec[];
  /** Where the data came from, for messages. */
  describe: string;
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const fmt = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/**
 * The [C, H, W] an image folder is decoded to: the model's input when it is [C, H, W], otherwise the
 * spec's size and grayscale (checked against the input's number of values).
 */
export function imageFolderShape(spec: ImageFolderSpec, inputShape: readonly number[]): ImageShape {
  if (inputShape.length === 3) {
    const [c, h, w] = inputShape;
    if (spec.size !== undefined && (spec.size[0] !== h || spec.size[1] !== w))
      throw new Error(
        `the image folder's size [${spec.size.join(', ')}] differs from the model's input ${fmt(inputShape)}: remove size, or change one of them`,
      );
    if (spec.grayscale !== undefined && spec.grayscale !== (c === 1))
      throw new Error(
        `grayscale is ${spec.grayscale} but the model's input ${fmt(inputShape)} has ${c} channel(s): remove grayscale, or change the input's channels`,
      );
    return [c, h, w];
  }
  if (spec.size === undefined)
    throw new Error(
      `the model's input ${fmt(inputShape)} is not [channels, height, width]: give the images' size [height, width] (and grayscale) in the data section`,
    );
  const shape: ImageShape = [spec.grayscale === true ? 1 : 3, spec.size[0], spec.size[1]];
  if (sizeOf(shape) !== sizeOf(inputShape))
    throw new Error(`images of ${fmt(shape)} hold ${sizeOf(shape)} values but the model's input ${fmt(inputShape)} takes ${sizeOf(inputShape)}`);
  return shape;
}

/** The model's input shape as the batches' sample shape, after checking it holds as many values as an image. */
export function sampleShapeFor(dataset: ByteImageDataset, inputShape: readonly number[]): readonly number[] {
  if (sizeOf(inputShape) !== dataset.sampleSize) {
    throw new Error(
      `the images are ${fmt(dataset.shape)} (${dataset.sampleSize} values) but the model's input is ${fmt(inputShape)} (${sizeOf(inputShape)} values): change the input shape to ${fmt(dataset.shape)} or [${dataset.sampleSize}]`,
    );
  }
  return inputShape;
}

/**
 * Reads the spec's images. Progress runs over the training files, then on over the test files (the
 * total grows by the test files' size when they start).
 */
export async function loadImageData(
  spec: ImageDataSpec,
  baseDir: string,
  inputShape: readonly number[],
  options: ReadProgress = {},
): Promise<ImageData> {
  let done = 0;
  const phase = (): ReadProgress => {
    const offset = done;
    return {
      signal: options.signal,
      onProgress: (bytes, total) => {
        done = offset + bytes;
        options.onProgress?.(offset + bytes, offset + total);
      },
    };
  };
  const resolve = (p: string) => path.resolve(baseDir, p);
  const transforms = spec.transforms ?? DEFAULT_TRANSFORMS;
  let train: ByteImageDataset;
  let test: ByteImageDataset | null = null;
  let describe: string;
  if (spec.kind === 'imageFolder') {
    const shape = imageFolderShape(spec, inputShape);
    const root = resolve(spec.path);
    train = await readImageFolder(root, { shape, resize: spec.resize, ...phase() });
    if (spec.testPath !== undefined)
      test = await readImageFolder(resolve(spec.testPath), { shape, resize: spec.resize, classNames: train.classNames, ...phase() });
    describe = `image folder ${root}`;
  } else {
    let files: { train: IdxPairFiles; test: IdxPairFiles | null };
    if (spec.kind === 'fashionMnist') files = fashionMnistFiles(spec.dir === undefined ? undefined : resolve(spec.dir));
    else {
      const classNames = spec.classNames;
      files = {
        train: { images: resolve(spec.images), labels: resolve(spec.labels), classNames },
        test: spec.test === undefined ? null : { images: resolve(spec.test.images), labels: resolve(spec.test.labels), classNames },
      };
    }
    train = await readIdxDataset(files.train, phase());
    if (files.test !== null) {
      test = await readIdxDataset({ ...files.test, classNames: files.test.classNames ?? train.classNames }, phase());
      const [a, b] = [train.shape, test.shape];
      if (a[1] !== b[1] || a[2] !== b[2])
        throw new Error(`the test images ${files.test.images} are ${b[1]}x${b[2]} but the training images ${files.train.images} are ${a[1]}x${a[2]}`);
    }
    describe = spec.kind === 'fashionMnist' ? `Fashion-MNIST (${path.dirname(files.train.images)})` : `IDX ${files.train.images}`;
  }
  sampleShapeFor(train, inputShape);
  checkTransforms(transforms, train.shape);
  return { train, test, transforms, describe };
}
