// The byte-backed image set and its batch loader: storage stays bytes, batches land in reused buffers,
// transforms against hand-computed numbers, normalization statistics, and exact resume from a saved state.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Generator } from '../../engine';
import {
  ByteImageDataset,
  DataLoader,
  ImageBatchLoader,
  previewImages,
  toRgba,
  applyTransforms,
  checkTransforms,
  computeNormalization,
  TransformsSchema,
  type TransformSpec,
  type ImageShape,
} from '../../engine/data';

/** n images of shape with pixel p of image i = (31 i + 7 p) mod 256, labels i mod classes. */
function synthetic(n: number, shape: ImageShape, classes = 4): ByteImageDataset {
  const size = shape[0] * shape[1] * shape[2];
  const images = new Uint8Array(n * size);
  for (let i = 0; i < n; i++) for (let p = 0; p < size; p++) images[i * size + p] = (31 * i + 7 * p) % 256;
  return new ByteImageDataset(
    images,
    Int32Array.from({ length: n }, (_, i) => i % classes),
    shape,
    Array.from({ length: classes }, (_, c) => `class ${c}`),
  );
}

const close = (actual: ArrayLike<number>, expected: number[]) => {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(actual[i] - expected[i]) < 1e-6, `value ${i}: ${actual[i]} vs ${expected[i]}`);
};

test('scale and normalize (one value, or one per channel) give the hand-computed numbers', () => {
  const x = Float32Array.from([0, 51, 102, 153, 204, 255]);
  const rng = new Generator(1);
  applyTransforms([{ kind: 'scale' }, { kind: 'normalize', mean: [0.5], std: [0.25] }], x, 1, [1, 2, 3], rng, true);
  close(x, [-2, -1.2, -0.4, 0.4, 1.2, 2]);
  // Two images of two channels of 1x2 pixels; channel 0 uses mean 1 / std 2, channel 1 mean 0 / std 0.5.
  const y = Float32Array.from([1, 3, 4, 6, 5, 9, -1, 2]);
  applyTransforms([{ kind: 'normalize', mean: [1, 0], std: [2, 0.5] }], y, 2, [2, 1, 2], rng, true);
  close(y, [0, 1, 8, 12, 2, 4, -2, 4]);
});

test('random flips and crops draw from the generator, per sample, and are skipped outside training', () => {
  const img = [1, 2, 3, 4, 5, 6, 7, 8, 9]; // one 3x3 channel
  const flipped = Float32Array.from(img);
  applyTransforms([{ kind: 'randomHorizontalFlip', p: 1 }], flipped, 1, [1, 3, 3], new Generator(0), true);
  assert.deepEqual([...flipped], [3, 2, 1, 6, 5, 4, 9, 8, 7]);
  const kept = Float32Array.from(img);
  applyTransforms([{ kind: 'randomHorizontalFlip', p: 0 }], kept, 1, [1, 3, 3], new Generator(0), true);
  assert.deepEqual([...kept], img);

  // Pad 1 and crop 3x3: out(y, x) = in(y + dy, x + dx) or 0, with dy, dx = int(3) - 1 drawn in that order.
  const offsets = new Set<string>();
  for (let seed = 0; seed < 60; seed++) {
    const twin = new Generator(seed);
    const dy = twin.int(3) - 1;
    const dx = twin.int(3) - 1;
    offsets.add(`${dy},${dx}`);
    const expected: number[] = [];
    for (let y = 0; y < 3; y++)
      for (let x = 0; x < 3; x++) expected.push(y + dy >= 0 && y + dy < 3 && x + dx >= 0 && x + dx < 3 ? img[(y + dy) * 3 + x + dx] : 0);
    const x = Float32Array.from(img);
    applyTransforms([{ kind: 'randomCrop', padding: 1 }], x, 1, [1, 3, 3], new Generator(seed), true);
    assert.deepEqual([...x], expected, `seed ${seed}: offset ${dy}, ${dx}`);
  }
  assert.equal(offsets.size, 9, 'every one of the 9 crop positions occurs');

  const evaluation = Float32Array.from(img);
  applyTransforms(
    [{ kind: 'randomHorizontalFlip', p: 1 }, { kind: 'randomCrop', padding: 1 }, { kind: 'scale' }],
    evaluation,
    1,
    [1, 3, 3],
    new Generator(0),
    false,
  );
  close(
    evaluation,
    img.map((v) => v / 255),
  );
});

test('transforms are plain JSON checked by their schema and against the image shape', () => {
  const stored: TransformSpec[] = TransformsSchema.parse(
    JSON.parse('[{"kind":"scale"},{"kind":"randomCrop","padding":4},{"kind":"normalize","mean":[0.5],"std":[0.5]}]'),
  );
  assert.equal(stored.length, 3);
  assert.equal(TransformsSchema.safeParse([{ kind: 'randomCrop', padding: 0 }]).success, false);
  assert.equal(TransformsSchema.safeParse([{ kind: 'blur' }]).success, false);
  assert.throws(() => checkTransforms([{ kind: 'scale' }, { kind: 'normalize', mean: [0.1, 0.2], std: [1, 1] }], [3, 8, 8]), {
    message: 'transform 2 (normalize): mean has 2 values but the images have 3 channel(s): give 1 or 3',
  });
  assert.throws(() => checkTransforms([{ kind: 'normalize', mean: [0], std: [0] }], [1, 8, 8]), {
    message: 'transform 1 (normalize): every std must be positive, got [0]',
  });
  assert.throws(() => checkTransforms([{ kind: 'randomCrop', padding: 8 }], [1, 8, 8]), {
    message: 'transform 1 (randomCrop): padding 8 must be smaller than the image (8x8)',
  });
});

test('computeNormalization gives the per-channel mean and std of the pixels after the transforms before it', () => {
  // Two 2-channel images of 2 pixels: channel 0 holds 0, 255, 0, 255; channel 1 holds 51, 51, 51, 102.
  const images = Uint8Array.from([0, 255, 51, 51, 0, 255, 51, 102]);
  const ds = new ByteImageDataset(images, Int32Array.from([0, 1]), [2, 1, 2], ['a', 'b']);
  const { mean, std } = computeNormalization(ds);
  close(mean, [0.5, (0.2 * 3 + 0.4) / 4]);
  const m1 = (0.2 * 3 + 0.4) / 4;
  close(std, [0.5, Math.sqrt((3 * (0.2 - m1) ** 2 + (0.4 - m1) ** 2) / 4)]);
  const raw = computeNormalization(ds, []);
  close(raw.mean, [127.5, (51 * 3 + 102) / 4]);
  // After normalizing with its own statistics, the data has mean 0 and std 1.
  const again = computeNormalization(ds, [{ kind: 'scale' }, { kind: 'normalize', mean, std }]);
  close(again.mean, [0, 0]);
  close(again.std, [1, 1]);
});

test('the data set stores bytes; batches are floats in buffers reused from one batch to the next', () => {
  const ds = synthetic(100, [1, 28, 28]);
  assert.ok(ds.images instanceof Uint8Array);
  assert.equal(ds.images.byteLength, 100 * 784, 'one byte per pixel');
  const loader = new ImageBatchLoader(ds, { batchSize: 32, transforms: [{ kind: 'scale' }] });
  const [x1, y1] = loader.next();
  const buffer = x1.data;
  assert.deepEqual(x1.shape, [32, 1, 28, 28]);
  assert.equal(buffer.length, 32 * 784);
  close(x1.data.subarray(0, 3), [0, 7 / 255, 14 / 255]);
  close(y1.data.subarray(0, 5), [0, 1, 2, 3, 0]);
  const [x2] = loader.next();
  assert.equal(x2.data, buffer, 'the second batch reuses the first one’s buffer');
  close(x2.data.subarray(0, 1), [((31 * 32) % 256) / 255]);
  loader.next();
  const [x4] = loader.next(); // the last 4 images
  assert.deepEqual(x4.shape, [4, 1, 28, 28]);
  assert.equal(loader.length, 4);
  const flat = new ImageBatchLoader(ds, { batchSize: 10, sampleShape: [784], dropLast: true });
  assert.deepEqual(flat.next()[0].shape, [10, 784]);
  assert.throws(() => new ImageBatchLoader(ds, { sampleShape: [28, 27] }), {
    message: 'ImageBatchLoader: the images are [1, 28, 28] (784 values) but the samples should be [28, 27] (756 values)',
  });
});

test('each shuffled epoch visits every image once, in a new order, the same for the same seed', () => {
  const ds = synthetic(23, [1, 2, 2], 23);
  const epochs = (seed: number) => {
    const loader = new ImageBatchLoader(ds, { batchSize: 5, shuffle: true, seed });
    return [0, 1].map(() => {
      const labels: number[] = [];
      for (const [, y] of loader) labels.push(...y.data); // read before the next batch overwrites the buffer
      return labels;
    });
  };
  const [first, second] = epochs(7);
  assert.deepEqual(
    [...first].sort((a, b) => a - b),
    Array.from({ length: 23 }, (_, i) => i),
  );
  assert.deepEqual(
    [...second].sort((a, b) => a - b),
    Array.from({ length: 23 }, (_, i) => i),
  );
  assert.notDeepEqual(first, second);
  assert.deepEqual(epochs(7), [first, second]);
  assert.notDeepEqual(epochs(8)[0], first);
});

test('batches k..n of a fresh loader equal those of a loader restored from its state at k (across epochs)', () => {
  const ds = synthetic(103, [2, 6, 6]);
  const transforms: TransformSpec[] = [
    { kind: 'randomCrop', padding: 2 },
    { kind: 'randomHorizontalFlip' },
    { kind: 'scale' },
    { kind: 'normalize', mean: [0.4, 0.6], std: [0.3, 0.2] },
  ];
  const options = { batchSize: 10, shuffle: true, seed: 42, transforms };
  const copy = (b: ReturnType<ImageBatchLoader['next']>) => b.map((t) => Array.from(t.data));
  const fresh = new ImageBatchLoader(ds, options);
  const all = Array.from({ length: 35 }, () => copy(fresh.next())); // 11 batches an epoch: 3 epochs and 2 batches
  for (const k of [0, 5, 11, 13, 27]) {
    const run = new ImageBatchLoader(ds, options);
    for (let b = 0; b < k; b++) run.next();
    const saved = JSON.parse(JSON.stringify(run.getState())); // as a checkpoint stores it
    const resumed = new ImageBatchLoader(ds, options);
    resumed.setState(saved);
    for (let b = k; b < all.length; b++) assert.deepEqual(copy(resumed.next()), all[b], `resumed at ${k}: batch ${b}`);
  }
  // The augmentation is really random: unshuffled, the same images in the next epoch come out differently.
  const ordered = new ImageBatchLoader(ds, { ...options, shuffle: false });
  const firstEpoch = copy(ordered.next());
  for (let b = 1; b < ordered.length; b++) ordered.next();
  const secondEpoch = copy(ordered.next());
  assert.deepEqual(secondEpoch[1], firstEpoch[1], 'same images');
  assert.notDeepEqual(secondEpoch[0], firstEpoch[0], 'other crops and flips');
});

test('toTensors gives a range of images as one evaluation batch: deterministic transforms only, like an evaluation loader', () => {
  const ds = synthetic(30, [1, 4, 4]);
  const transforms: TransformSpec[] = [{ kind: 'randomHorizontalFlip', p: 1 }, { kind: 'scale' }, { kind: 'normalize', mean: [0.5], std: [0.5] }];
  const [x, y] = ds.toTensors(transforms, [16], 10, 25);
  assert.deepEqual(x.shape, [15, 16]);
  assert.deepEqual(
    [...y.data],
    Array.from({ length: 15 }, (_, k) => (10 + k) % 4),
  );
  const evaluation = new ImageBatchLoader(ds, { batchSize: 5, transforms, training: false });
  const batches: number[] = [];
  for (const [bx] of evaluation) batches.push(...bx.data);
  assert.deepEqual([...x.data], batches.slice(10 * 16, 25 * 16));
  close(x.data.subarray(0, 2), [(((31 * 10) % 256) / 255 - 0.5) / 0.5, (((31 * 10 + 7) % 256) / 255 - 0.5) / 0.5]);
});

test('the preview holds the class counts and the first images of each class as RGBA', () => {
  const ds = new ByteImageDataset(Uint8Array.from([10, 20, 30, 40, 50, 60, 70, 80]), Int32Array.from([1, 0, 1, 1]), [1, 1, 2], ['a', 'b']);
  const preview = previewImages(ds, 2);
  assert.deepEqual(preview.classCounts, [1, 3]);
  assert.deepEqual(
    preview.samples.map((s) => [s.index, s.label]),
    [
      [1, 0],
      [0, 1],
      [2, 1],
    ],
  );
  assert.deepEqual([...preview.samples[0].rgba], [30, 30, 30, 255, 40, 40, 40, 255]);
  // RGB: channel-major bytes become interleaved RGBA.
  assert.deepEqual([...toRgba(Uint8Array.from([1, 2, 3, 4, 5, 6]), [3, 1, 2])], [1, 3, 5, 255, 2, 4, 6, 255]);
});

test('the byte-backed set is a Dataset: get(i) is raw pixels and a label, and data.DataLoader batches it', () => {
  const ds = new ByteImageDataset(Uint8Array.from([1, 2, 3, 4, 5, 6]), Int32Array.from([0, 1, 1]), [1, 1, 2], ['a', 'b']);
  const [x, y] = ds.get(2);
  assert.deepEqual([x.shape, [...x.data], y.shape, [...y.data]], [[1, 1, 2], [5, 6], [], [1]]);
  const batches = [...new DataLoader(ds, { batchSize: 2 })].map(([bx, by]) => [bx.shape, [...bx.data], [...by.data]]);
  assert.deepEqual(batches, [
    [
      [2, 1, 1, 2],
      [1, 2, 3, 4],
      [0, 1],
    ],
    [[1, 1, 1, 2], [5, 6], [1]],
  ]);
});
