/**
 * What the Training panel shows of an image set before a run (a grid of samples with their labels, and
 * the class counts) and after one (images picked by index, e.g. the worst misclassified): small, plain
 * data that crosses to the webview as JSON-able numbers, with the pixels as RGBA ready for a canvas's
 * ImageData. Browser-safe.
 */
import type { ByteImageDataset, ImageShape } from './image_dataset';

export interface PreviewImage {
  /** Position in the data set. */
  index: number;
  label: number;
  width: number;
  height: number;
  channels: number;
  /** The image's own bytes, [C, H, W] (what crosses to the webview: a quarter of RGBA's size for gray images). */
  pixels: Uint8Array;
  /** width x height x 4 bytes, row-major RGBA (gray images repeat their value over R, G and B). */
  rgba: Uint8ClampedArray;
}

export interface ImagePreview {
  classNames: readonly string[];
  /** Images per class, by class index. */
  classCounts: number[];
  /** Up to `perClass` images of each class, the first ones in the data set's order, class after class. */
  samples: PreviewImage[];
}

/** [C, H, W] bytes (1 or 3 channels) to RGBA. */
export function toRgba(pixels: Uint8Array, shape: ImageShape): Uint8ClampedArray {
  const [c, h, w] = shape;
  const plane = h * w;
  const out = new Uint8ClampedArray(4 * plane);
  for (let p = 0; p < plane; p++) {
    out[4 * p] = pixels[p];
    out[4 * p + 1] = pixels[c === 1 ? p : plane + p];
    out[4 * p + 2] = pixels[c === 1 ? p : 2 * plane + p];
    out[4 * p + 3] = 255;
  }
  return out;
}

/** Image `index` for display. */
export function previewImage(dataset: ByteImageDataset, index: number): PreviewImage {
  if (!Number.isInteger(index) || index < 0 || index >= dataset.length)
    throw new Error(`previewImage: index ${index} out of range for ${dataset.length} images`);
  const [, h, w] = dataset.shape;
  const pixels = dataset.images.subarray(index * dataset.sampleSize, (index + 1) * dataset.sampleSize);
  return { index, label: dataset.labels[index], width: w, height: h, channels: dataset.shape[0], pixels, rgba: toRgba(pixels, dataset.shape) };
}

export function previewImages(dataset: ByteImageDataset, perClass = 8): ImagePreview {
  const picked: number[][] = dataset.classNames.map(() => []);
  for (let i = 0; i < dataset.length; i++) {
    const chosen = picked[dataset.labels[i]];
    if (chosen.length < perClass) chosen.push(i);
  }
  return { classNames: dataset.classNames, classCounts: dataset.classCounts(), samples: picked.flat().map((i) => previewImage(dataset, i)) };
}
