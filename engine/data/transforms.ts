/**
 * Image transforms as plain data (stored in the document's training section), applied in their listed
 * order to each sample of a batch, on the float pixels `ByteImageDataset.gatherInto` wrote. Random ones
 * draw from the generator they are given, sample by sample and transform by transform, so a batch is a
 * function of the generator's state at its start: a resumed run that restores that state gets the same
 * batches. Evaluation applies only the deterministic ones (`training: false`), as torchvision pipelines
 * are split into train and test transforms.
 *
 * Like torchvision, `randomCrop` pads with zeros of whatever the values are at its point in the list:
 * put it before `normalize` to pad with black pixels.
 */
import { Generator } from '../random';
import type { ByteImageDataset, ImageShape } from './image_dataset';
import type { TransformSpec } from './image_specs';

/** The transforms of a run when its data section names none: pixels scaled to [0, 1], as torchvision's ToTensor does. */
export const DEFAULT_TRANSFORMS: readonly TransformSpec[] = [{ kind: 'scale' }];

const isRandom = (t: TransformSpec) => t.kind === 'randomHorizontalFlip' || t.kind === 'randomCrop';

/** Checks transforms against the image shape (normalize's channel counts, crop padding), naming the entry at fault. */
export function checkTransforms(transforms: readonly TransformSpec[], shape: ImageShape): void {
  const [c, h, w] = shape;
  transforms.forEach((t, i) => {
    const at = `transform ${i + 1} (${t.kind})`;
    if (t.kind === 'normalize') {
      for (const [name, values] of [
        ['mean', t.mean],
        ['std', t.std],
      ] as const) {
        if (values.length !== 1 && values.length !== c)
          throw new Error(
            `${at}: ${name} has ${values.length} values but the images have ${c} channel(s): give ${c === 1 ? 'one value' : `1 or ${c}`}`,
          );
      }
      if (t.std.some((s) => !(s > 0))) throw new Error(`${at}: every std must be positive, got [${t.std.join(', ')}]`);
    }
    if (t.kind === 'randomCrop' && (t.padding >= h || t.padding >= w))
      throw new Error(`${at}: padding ${t.padding} must be smaller than the image (${h}x${w})`);
  });
}

/**
 * Applies `transforms` to `rows` samples of `shape` held one after another in `x`, in place. `scratch`
 * (one sample's size) is reused by crops. Random transforms are skipped when `training` is false.
 */
export function applyTransforms(
  transforms: readonly TransformSpec[],
  x: Float32Array,
  rows: number,
  shape: ImageShape,
  rng: Generator,
  training: boolean,
  scratch: Float32Array = new Float32Array(shape[0] * shape[1] * shape[2]),
): void {
  const [c, h, w] = shape;
  const plane = h * w;
  const size = c * plane;
  const active = training ? transforms : transforms.filter((t) => !isRandom(t));
  if (active.length === 0) return;
  for (let r = 0; r < rows; r++) {
    const s = x.subarray(r * size, (r + 1) * size);
    for (const t of active) {
      switch (t.kind) {
        case 'scale':
          for (let p = 0; p < size; p++) s[p] /= 255;
          break;
        case 'normalize':
          for (let ch = 0; ch < c; ch++) {
            const mean = t.mean.length === 1 ? t.mean[0] : t.mean[ch];
            const inv = 1 / (t.std.length === 1 ? t.std[0] : t.std[ch]);
            for (let p = ch * plane; p < (ch + 1) * plane; p++) s[p] = (s[p] - mean) * inv;
          }
          break;
        case 'randomHorizontalFlip':
          if (rng.random() < (t.p ?? 0.5)) flipRows(s, c * h, w);
          break;
        case 'randomCrop': {
          const pad = t.padding;
          crop(s, scratch, c, h, w, rng.int(2 * pad + 1) - pad, rng.int(2 * pad + 1) - pad);
          break;
        }
      }
    }
  }
}

function flipRows(s: Float32Array, rows: number, w: number): void {
  for (let y = 0; y < rows; y++) s.subarray(y * w, (y + 1) * w).reverse();
}

/** The sample shifted so that output (y, x) = input (y + dy, x + dx), zero outside: a crop of the zero-padded image. */
function crop(s: Float32Array, scratch: Float32Array, c: number, h: number, w: number, dy: number, dx: number): void {
  scratch.fill(0);
  for (let ch = 0; ch < c; ch++) {
    for (let y = Math.max(0, -dy); y < Math.min(h, h - dy); y++) {
      const src = ch * h * w + (y + dy) * w;
      const dst = ch * h * w + y * w;
      const x0 = Math.max(0, -dx);
      const x1 = Math.min(w, w - dx);
      scratch.set(s.subarray(src + x0 + dx, src + x1 + dx), dst + x0);
    }
  }
  s.set(scratch);
}

/**
 * Per-channel mean and standard deviation of the training images as they leave `before` (the
 * deterministic transforms ahead of a normalize step, e.g. [scale]): what the panel's "compute" button
 * writes into a normalize transform. Exact, from per-channel histograms of the bytes (every deterministic
 * transform maps a pixel value through the same affine function), so 47 million pixels take one pass.
 */
export function computeNormalization(
  dataset: ByteImageDataset,
  before: readonly TransformSpec[] = DEFAULT_TRANSFORMS,
): { mean: number[]; std: number[] } {
  const [c, h, w] = dataset.shape;
  const plane = h * w;
  const hist = Array.from({ length: c }, () => new Float64Array(256));
  const { images } = dataset;
  for (let i = 0; i < dataset.length; i++) {
    const base = i * dataset.sampleSize;
    for (let ch = 0; ch < c; ch++) {
      const hc = hist[ch];
      for (let p = base + ch * plane; p < base + (ch + 1) * plane; p++) hc[images[p]]++;
    }
  }
  const values = new Float32Array(256);
  const mean: number[] = [];
  const std: number[] = [];
  for (let ch = 0; ch < c; ch++) {
    // The 256 possible byte values of this channel, pushed through the deterministic transforms.
    for (let v = 0; v < 256; v++) values[v] = v;
    const single: ImageShape = [1, 1, 256];
    const steps = before.map((t) => (t.kind === 'normalize' ? { ...t, mean: [pick(t.mean, ch)], std: [pick(t.std, ch)] } : t));
    applyTransforms(steps, values, 1, single, new Generator(0), false);
    let n = 0;
    let sum = 0;
    for (let v = 0; v < 256; v++) {
      n += hist[ch][v];
      sum += hist[ch][v] * values[v];
    }
    const m = sum / n;
    let sq = 0;
    for (let v = 0; v < 256; v++) sq += hist[ch][v] * (values[v] - m) ** 2;
    mean.push(m);
    std.push(Math.sqrt(sq / n));
  }
  return { mean, std };
}

const pick = (values: readonly number[], ch: number) => (values.length === 1 ? values[0] : values[ch]);
