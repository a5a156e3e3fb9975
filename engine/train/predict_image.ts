/**
 * Predict on an image file (Node only): the file's bytes decoded as the run's images are (gray or RGB,
 * resized to the image shape), the run's deterministic transforms applied (no flips or crops), then the
 * engine and onnxruntime side by side through predictRun, read as class probabilities.
 */
import * as path from 'node:path';
import { Generator } from '../random';
import type { ImageShape } from '../data/image_dataset';
import { imageToShape, listImageFolder } from '../data/image_folder';
import { imageFolderShape } from '../data/image_source';
import { isImageDataSpec, type ImageDataSpec } from '../data/image_specs';
import { applyTransforms, DEFAULT_TRANSFORMS } from '../data/transforms';
import { FASHION_MNIST_CLASSES } from '../data/fashion_mnist';
import { readRunConfig } from './run_folder';
import { modelFromDocument } from './document';
import { predictRun } from './after';
import { classProbabilities } from './evaluate';
import { takesLogits } from './setup';
import type { Provider } from './onnx';

export interface ImagePrediction {
  /** The image as the model saw it before the transforms: [C, H, W] bytes. */
  shape: ImageShape;
  pixels: Uint8Array;
  classNames: string[];
  /** Class probabilities from the engine, and from onnxruntime (null when it could not run: onnxError says why). */
  engine: number[];
  onnx: number[] | null;
  onnxError: string | null;
  maxAbsDiff: number | null;
}

/**
 * The [C, H, W] a file is brought to for a model: its input when that is [C, H, W]; an image folder's
 * size and grayscale; otherwise (IDX images are gray) a square gray image of the input's values.
 */
export function predictImageShape(spec: ImageDataSpec, inputShape: readonly number[]): ImageShape {
  if (inputShape.length === 3) return [inputShape[0], inputShape[1], inputShape[2]];
  if (spec.kind === 'imageFolder') return imageFolderShape(spec, inputShape);
  const n = inputShape.reduce((a, b) => a * b, 1);
  const side = Math.round(Math.sqrt(n));
  if (side * side !== n)
    throw new Error(
      `the model's input [${inputShape.join(', ')}] is not an image shape: give the model a [1, height, width] input to predict on image files`,
    );
  return [1, side, side];
}

async function classNamesOf(spec: ImageDataSpec, baseDir: string, classes: number): Promise<string[]> {
  if (spec.kind === 'fashionMnist') return [...FASHION_MNIST_CLASSES];
  if (spec.kind === 'idx' && spec.classNames !== undefined) return [...spec.classNames];
  if (spec.kind === 'imageFolder') return (await listImageFolder(path.resolve(baseDir, spec.path))).classNames;
  return Array.from({ length: classes }, (_, i) => String(i));
}

/** `bytes` of a PNG or JPEG file (`name` names it in errors) through a run's model. */
export async function predictRunImage(runDir: string, bytes: Uint8Array, name: string, providers: Provider[] = ['cpu']): Promise<ImagePrediction> {
  const config = await readRunConfig(runDir);
  const spec = config.resolved.data;
  if (!isImageDataSpec(spec))
    throw new Error(
      `this run trained on ${spec.kind === 'builtin' ? `the built-in '${spec.name}' set` : `a ${spec.kind} file`}, not images: predict on typed inputs or CSV rows instead`,
    );
  const { inputShape } = modelFromDocument(config.document);
  const shape = predictImageShape(spec, inputShape);
  const pixels = imageToShape(bytes, name, shape, true);
  const x = Float32Array.from(pixels);
  applyTransforms(spec.transforms ?? DEFAULT_TRANSFORMS, x, 1, shape, new Generator(0), false);
  const p = await predictRun(runDir, [Array.from(x)], providers);
  const logits = takesLogits(config.resolved.loss.type);
  const probs = (row: number[]) => classProbabilities(Float32Array.from(row), 0, row.length, logits);
  const engine = probs(p.engine[0]);
  const baseDir = config.documentPath !== null ? path.dirname(config.documentPath) : runDir;
  return {
    shape,
    pixels,
    classNames: await classNamesOf(spec, baseDir, engine.length),
    engine,
    onnx: p.onnx === null ? null : probs(p.onnx[0]),
    onnxError: p.onnxError,
    maxAbsDiff: p.maxAbsDiff,
  };
}
