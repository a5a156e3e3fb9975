/**
 * An image folder as a data set (Node only): one sub-folder per class, as torchvision's ImageFolder,
 * class names = the sorted sub-folder names, images = the .png/.jpg/.jpeg files in each (other files,
 * such as .DS_Store, are not images and are skipped). Every image is decoded to the target [C, H, W]
 * (grayscale or RGB), resized bilinearly when `resize` is on and otherwise checked to be that size, and
 * stored as bytes. Files are read one after another with progress in bytes read of the folder's total;
 * each await lets the event loop turn.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { ByteImageDataset, type ImageShape } from './image_dataset';
import { decodeImage, toChannels } from './image_decode';
import { resizeBilinear } from './image_resize';
import type { ReadProgress } from './idx_file';

export const IMAGE_EXTENSIONS: readonly string[] = ['.png', '.jpg', '.jpeg'];

export interface ImageFolderOptions extends ReadProgress {
  /** The shape every image is brought to: 1 channel (grayscale) or 3 (RGB), height, width. */
  shape: ImageShape;
  /** Resize images of another size (bilinear); off, such an image is an error naming it. */
  resize?: boolean;
  /** Class names that must match the folder's (a test folder against its training folder). */
  classNames?: readonly string[];
}

interface Listing {
  classNames: string[];
  files: { file: string; label: number; size: number }[];
}

/** Class folders and their image files, checked: a missing root, no class folders, an empty class. */
export async function listImageFolder(root: string): Promise<Listing> {
  let entries;
  try {
    entries = await fsp.readdir(root, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'ENOENT'
        ? `image folder ${root} does not exist`
        : code === 'ENOTDIR'
          ? `${root} is not a folder: an image folder holds one sub-folder per class`
          : `cannot read the image folder ${root}: ${(e as Error).message}`,
    );
  }
  const classNames = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  if (classNames.length === 0)
    throw new Error(
      `image folder ${root} has no class sub-folders: put each class's images in a folder of its own (e.g. ${path.join(root, 'cats', '1.png')})`,
    );
  const files: Listing['files'] = [];
  for (const [label, name] of classNames.entries()) {
    const dir = path.join(root, name);
    const images = (await fsp.readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isFile() && IMAGE_EXTENSIONS.includes(path.extname(e.name).toLowerCase()))
      .map((e) => e.name)
      .sort();
    if (images.length === 0)
      throw new Error(`class folder ${dir} holds no images (${IMAGE_EXTENSIONS.join(', ')} files): add images or remove the folder`);
    for (const name of images) {
      const file = path.join(dir, name);
      files.push({ file, label, size: (await fsp.stat(file)).size });
    }
  }
  return { classNames, files };
}

export async function readImageFolder(root: string, options: ImageFolderOptions): Promise<ByteImageDataset> {
  checkChannels(options.shape, `image folder ${root}`);
  const { classNames, files } = await listImageFolder(root);
  if (options.classNames !== undefined && classNames.join('\n') !== options.classNames.join('\n')) {
    throw new Error(
      `image folder ${root} has the classes ${classNames.join(', ')} but the training images have ${options.classNames.join(', ')}: both need the same class folders`,
    );
  }
  const sampleSize = options.shape[0] * options.shape[1] * options.shape[2];
  const images = new Uint8Array(files.length * sampleSize);
  const labels = new Int32Array(files.length);
  const total = files.reduce((a, f) => a + f.size, 0);
  let read = 0;
  for (const [i, { file, label }] of files.entries()) {
    if (options.signal?.aborted) throw options.signal.reason;
    let bytes: Uint8Array;
    try {
      bytes = await fsp.readFile(file, { signal: options.signal });
    } catch (e) {
      if (options.signal?.aborted) throw options.signal.reason;
      throw new Error(`cannot read the image ${file}: ${(e as Error).message}`);
    }
    images.set(imageToShape(bytes, file, options.shape, options.resize === true), i * sampleSize);
    labels[i] = label;
    options.onProgress?.((read += bytes.length), total);
  }
  return new ByteImageDataset(images, labels, options.shape, classNames);
}

function checkChannels(shape: ImageShape, what: string): asserts shape is readonly [1 | 3, number, number] {
  if (shape[0] !== 1 && shape[0] !== 3)
    throw new Error(`${what}: images can be read with 1 channel (grayscale) or 3 (RGB), not ${shape[0]} (input shape [${shape.join(', ')}])`);
}

/** An image file's bytes decoded to `shape` ([C, H, W] bytes): converted to gray or RGB, resized or checked. */
export function imageToShape(bytes: Uint8Array, file: string, shape: ImageShape, resize: boolean): Uint8Array {
  const [channels, height, width] = shape;
  checkChannels(shape, file);
  const decoded = decodeImage(bytes, file);
  const pixels = toChannels(decoded, shape[0]);
  if (decoded.width === width && decoded.height === height) return pixels;
  if (!resize)
    throw new Error(
      `${file}: the image is ${decoded.width}x${decoded.height} (width x height) but the input is ${width}x${height} ([${shape.join(', ')}]): turn on resize, or resize the images`,
    );
  return resizeBilinear(pixels, channels, decoded.height, decoded.width, height, width);
}

/** One image file as [C, H, W] bytes of `shape`, for Predict on an image: the same decoding as the folder's. */
export async function readImageFile(file: string, shape: ImageShape, resize = false): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await fsp.readFile(file);
  } catch (e) {
    throw new Error(`cannot read the image ${file}: ${(e as Error).message}`);
  }
  return imageToShape(bytes, file, shape, resize);
}
