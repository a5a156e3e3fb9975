// The real Fashion-MNIST from Debian's dataset-fashion-mnist package (scripts/ensure-fashion-mnist.sh
// installs it): counts, labels, the first image's bytes, the published normalization statistics, and a
// short MLP training run through the engine alone that lands far above chance. Also the message when the
// files are absent.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualSeed, nn, noGrad, optim, Generator } from '../../engine';
import {
  FASHION_MNIST_DIR,
  FASHION_MNIST_CLASSES,
  ImageBatchLoader,
  computeNormalization,
  fashionMnistFiles,
  loadImageData,
  type ImageData,
} from '../../engine/data';

const installed = existsSync(join(FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz'));
const skip = installed
  ? false
  : `Fashion-MNIST is not installed in ${FASHION_MNIST_DIR} (Debian package dataset-fashion-mnist; scripts/ensure-fashion-mnist.sh installs it)`;

let loaded: Promise<ImageData> | null = null;
/** Read once for the tests of this file. */
const fashion = () => (loaded ??= loadImageData({ kind: 'fashionMnist' }, '/', [1, 28, 28]));

test('Fashion-MNIST reads as 60,000 train and 10,000 test 28x28 bytes, labels 0..9, first image as published', { skip }, async () => {
  const progress: [number, number][] = [];
  // The event loop keeps turning while 55 MB are decompressed and parsed (the editor stays responsive).
  let turns = 0;
  let reading = true;
  const tick = () => {
    turns++;
    if (reading) setImmediate(tick);
  };
  setImmediate(tick);
  const data = await loadImageData({ kind: 'fashionMnist' }, '/', [784], { onProgress: (b, t) => progress.push([b, t]) });
  reading = false;
  assert.ok(turns >= 100, `the event loop turned ${turns} times during the read`);
  const { train, test: testSet } = data;
  assert.ok(testSet !== null);
  assert.equal(train.length, 60000);
  assert.equal(testSet.length, 10000);
  assert.deepEqual(train.shape, [1, 28, 28]);
  assert.ok(train.images instanceof Uint8Array && train.images.length === 60000 * 784, 'the training images are 47 MB of bytes, not float32');
  assert.deepEqual(train.classNames, FASHION_MNIST_CLASSES);
  assert.deepEqual(train.classCounts(), new Array(10).fill(6000));
  assert.deepEqual(testSet.classCounts(), new Array(10).fill(1000));
  // Values from Python's gzip module on the same files.
  assert.deepEqual([...train.labels.subarray(0, 10)], [9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
  assert.deepEqual([...testSet.labels.subarray(0, 10)], [9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
  const first = train.images.subarray(0, 784);
  assert.equal(
    first.reduce((a, b) => a + b, 0),
    76247,
  );
  assert.equal(createHash('sha256').update(first).digest('hex'), '5bd44e331a6d6998daf675700cd0c13dcd7af8ab954b7585124124da61459e7b');
  assert.equal(
    testSet.images.subarray(0, 784).reduce((a, b) => a + b, 0),
    33456,
  );
  assert.equal(data.describe, `Fashion-MNIST (${FASHION_MNIST_DIR})`);
  for (let k = 1; k < progress.length; k++) assert.ok(progress[k][0] >= progress[k - 1][0]);
  assert.equal(progress.at(-1)![0], progress.at(-1)![1], 'progress ends at the total');
  // The statistics everyone normalizes Fashion-MNIST with: mean 0.2860, std 0.3530.
  const { mean, std } = computeNormalization(train);
  assert.ok(Math.abs(mean[0] - 0.2860406) < 1e-6 && Math.abs(std[0] - 0.3530242) < 1e-6, `mean ${mean}, std ${std}`);
});

test('an MLP trained one epoch on 2,000 Fashion-MNIST images classifies the test images far above chance', { skip }, async () => {
  const { train, test: testSet, transforms } = await fashion();
  assert.ok(testSet !== null, 'Fashion-MNIST has a test set');
  const pick = (n: number, size: number, seed: number) => new Generator(seed).permutation(n).subarray(0, size);
  const subset = train.take(pick(train.length, 2000, 1));
  manualSeed(0);
  const model = new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10));
  const criterion = new nn.CrossEntropyLoss();
  const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });
  const loader = new ImageBatchLoader(subset, { batchSize: 50, shuffle: true, seed: 3, transforms });
  for (const [x, y] of loader) {
    const loss = criterion.forward(model.forward(x), y);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
  }
  const evaluation = new ImageBatchLoader(testSet.take(pick(testSet.length, 2000, 2)), { batchSize: 500, transforms, training: false });
  let correct = 0;
  let seen = 0;
  noGrad(() => {
    for (const [x, y] of evaluation) {
      const out = model.forward(x).data;
      for (let i = 0; i < y.shape[0]; i++) {
        const row = out.subarray(i * 10, (i + 1) * 10);
        if (row.indexOf(Math.max(...row)) === y.data[i]) correct++;
      }
      seen += y.shape[0];
    }
  });
  const accuracy = correct / seen;
  // Chance is 0.1; these 40 Adam steps on 2,000 images reach 0.64 (seeded, so the same on every machine
  // up to float rounding); 0.5 leaves room for that and still fails a pipeline that scrambles images or labels.
  assert.ok(accuracy > 0.5, `test accuracy ${accuracy}`);
});

test('absent Fashion-MNIST files are reported with the Debian package and how to point elsewhere', () => {
  const empty = mkdtempSync(join(tmpdir(), 'nnb-no-fashion-'));
  assert.throws(() => fashionMnistFiles(empty), {
    message: `Fashion-MNIST is not in ${empty}: ${join(empty, 'train-images-idx3-ubyte')}.gz is missing; put the four files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) there, or remove "dir" to use the Debian package dataset-fashion-mnist in ${FASHION_MNIST_DIR}`,
  });
  if (!installed) {
    assert.throws(() => fashionMnistFiles(), { message: /sudo apt-get install dataset-fashion-mnist/ });
  }
});
