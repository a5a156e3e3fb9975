/**
 * Evaluate's worst misclassified samples (engine/train/evaluate.ts): the misclassified ones with the
 * least probability on their true class, worst first, the same whether the set is evaluated at once or
 * in chunks; through a run, the images of the worst test samples; and Predict on an image file
 * (engine/train/predict_image.ts) gives class probabilities from the engine and onnxruntime that agree.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { Tensor } from '../../engine/tensor';
import { CrossEntropyLoss, Identity } from '../../engine/nn';
import { classProbabilities, evaluate, mergeWorst, type Misclassified } from '../../engine/train/evaluate';
import { evaluateRows, TensorRows } from '../../engine/train/rows';
import { evaluateRun, WORST_SHOWN } from '../../engine/train/after';
import { predictRunImage, predictImageShape } from '../../engine/train/predict_image';
import { startRun } from '../../engine/train/host';
import { parseIdx } from '../../engine/data';
import { CLASSES, SIZE, writeIdxSet } from './idx_bars';
import { tempDir, sequentialDoc, writeDoc, type LayerSpec } from './helpers';

/** Logits that a pass-through model returns as they are, with labels: what each sample's worst-case order must be is known by hand. */
function logitsSet(n: number, classes: number): { x: Tensor; y: Tensor } {
  const x = new Float32Array(n * classes);
  const y = new Float32Array(n);
  let s = 7;
  for (let i = 0; i < n * classes; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    x[i] = (s % 1000) / 250 - 2;
  }
  for (let i = 0; i < n; i++) y[i] = i % classes;
  return { x: new Tensor(x, [n, classes]), y: new Tensor(y, [n]) };
}

/** Every misclassified sample, by brute force: softmax written out here, sorted by the true class's probability. */
function bruteWorst(x: Tensor, y: Tensor, classes: number): Misclassified[] {
  const all: Misclassified[] = [];
  for (let i = 0; i < y.shape[0]; i++) {
    const row = Array.from(x.data.subarray(i * classes, (i + 1) * classes));
    const e = row.map((v) => Math.exp(v));
    const sum = e.reduce((a, b) => a + b, 0);
    const predicted = row.indexOf(Math.max(...row));
    const truth = y.data[i];
    if (predicted !== truth) all.push({ index: i, truth, predicted, trueProbability: e[truth] / sum, predictedProbability: e[predicted] / sum });
  }
  return all.sort((a, b) => a.trueProbability - b.trueProbability);
}

const close = (a: Misclassified[], b: Misclassified[]) => {
  assert.deepEqual(
    a.map((m) => [m.index, m.truth, m.predicted]),
    b.map((m) => [m.index, m.truth, m.predicted]),
  );
  a.forEach((m, i) => {
    assert.ok(Math.abs(m.trueProbability - b[i].trueProbability) < 1e-6);
    assert.ok(Math.abs(m.predictedProbability - b[i].predictedProbability) < 1e-6);
  });
};

test('evaluate keeps the k misclassified samples with the least probability on their true class, worst first', () => {
  const { x, y } = logitsSet(300, 4);
  const ev = evaluate(new Identity(), new CrossEntropyLoss(), 'multiclass', x, y, { worst: 10, classes: 4 });
  const brute = bruteWorst(x, y, 4);
  assert.ok(brute.length > 10, `${brute.length} misclassified`);
  close(ev.worst!, brute.slice(0, 10));
  assert.ok(ev.worst!.every((m) => m.truth !== m.predicted));
  // Not asked for: not computed.
  assert.equal(evaluate(new Identity(), new CrossEntropyLoss(), 'multiclass', x, y).worst, undefined);
});

test('evaluating in chunks finds the same worst samples, with indices into the whole set', async () => {
  // 9000 rows: three chunks of evaluateRows, the worst spread over all of them.
  const { x, y } = logitsSet(9000, 3);
  const ev = await evaluateRows(new Identity(), new CrossEntropyLoss(), 'multiclass', new TensorRows(x, y), { worst: 25, classes: 3 });
  const brute = bruteWorst(x, y, 3).slice(0, 25);
  close(ev.worst!, brute);
  assert.ok(
    brute.some((m) => m.index >= 4096),
    'some of the worst are past the first chunk',
  );
});

test('mergeWorst and classProbabilities', () => {
  const m = (index: number, trueProbability: number): Misclassified => ({
    index,
    truth: 0,
    predicted: 1,
    trueProbability,
    predictedProbability: 1 - trueProbability,
  });
  assert.deepEqual(
    mergeWorst([m(1, 0.2), m(2, 0.4)], [m(3, 0.1), m(4, 0.3)], 3).map((w) => w.index),
    [3, 1, 4],
  );
  const p = classProbabilities(Float32Array.of(1, 2, 3), 0, 3, true);
  const e = [1, 2, 3].map(Math.exp);
  p.forEach((v, i) => assert.ok(Math.abs(v - e[i] / (e[0] + e[1] + e[2])) < 1e-12));
  const [p0, p1] = classProbabilities(Float32Array.of(0.5), 0, 1, true);
  assert.ok(Math.abs(p1 - 1 / (1 + Math.exp(-0.5))) < 1e-12 && Math.abs(p0 + p1 - 1) < 1e-12);
});

test('predictImageShape: the [C, H, W] input, or a square gray image of a flat one, else a clear error', () => {
  assert.deepEqual(predictImageShape({ kind: 'fashionMnist' }, [1, 28, 28]), [1, 28, 28]);
  assert.deepEqual(predictImageShape({ kind: 'fashionMnist' }, [784]), [1, 28, 28]);
  assert.throws(() => predictImageShape({ kind: 'idx', images: 'a', labels: 'b' }, [780]), /input \[780\] is not an image shape/);
  assert.deepEqual(predictImageShape({ kind: 'imageFolder', path: 'p', size: [4, 5] }, [60]), [3, 4, 5]);
});

const layers: LayerSpec[] = [['Flatten'], ['Linear', { inFeatures: 64, outFeatures: 3 }]];

test('through a run: Evaluate gives the worst misclassified test images, and Predict on an image file agrees with onnxruntime', async () => {
  const dir = await tempDir('worst');
  const train = await writeIdxSet(dir, 'train', 120, 1);
  const testSet = await writeIdxSet(dir, 'test', 90, 2);
  // One short epoch at a small rate: still wrong on some test images.
  const training = {
    data: { kind: 'idx', ...train, test: testSet, classNames: CLASSES },
    loss: 'CrossEntropyLoss',
    optimizer: { type: 'SGD', lr: 0.002 },
    epochs: 1,
    batchSize: 30,
    seed: 1,
  };
  const doc = await writeDoc(dir, 'bars.nnb.json', sequentialDoc('bars', [1, SIZE, SIZE], layers, training));
  const result = await (await startRun({ documentPath: doc, outDir: path.join(dir, 'runs'), mode: 'inline' })).result;
  assert.equal(result.status, 'completed', result.message);

  const ev = await evaluateRun(result.runDir);
  const wrong = ev.confusion!.flat().reduce((a, b) => a + b, 0) - ev.confusion!.reduce((a, row, i) => a + row[i], 0);
  assert.ok(wrong > 0, 'the short run still misclassifies some test images');
  assert.equal(ev.worst!.length, Math.min(WORST_SHOWN, wrong));
  assert.equal(ev.worstImages!.length, ev.worst!.length);
  const testImages = parseIdx(gunzipSync(await fsp.readFile(path.join(dir, testSet.images))), testSet.images);
  ev.worst!.forEach((w, i) => {
    assert.notEqual(w.truth, w.predicted);
    if (i > 0) assert.ok(ev.worst![i - 1].trueProbability <= w.trueProbability);
    const img = ev.worstImages![i];
    assert.equal(img.index, w.index);
    assert.equal(img.label, w.truth);
    assert.deepEqual(
      Array.from(img.pixels),
      Array.from(testImages.data.subarray(w.index * SIZE * SIZE, (w.index + 1) * SIZE * SIZE)),
      `worst image ${i} is test image ${w.index}`,
    );
  });

  // A test image saved as a PNG (gray in RGB), predicted from the file's bytes.
  const k = 4;
  const png = new PNG({ width: SIZE, height: SIZE });
  for (let p = 0; p < SIZE * SIZE; p++) {
    const v = testImages.data[k * SIZE * SIZE + p];
    png.data.set([v, v, v, 255], 4 * p);
  }
  const file = path.join(dir, 'sample.png');
  await fsp.writeFile(file, PNG.sync.write(png));
  const pred = await predictRunImage(result.runDir, new Uint8Array(await fsp.readFile(file)), file);
  assert.deepEqual(pred.classNames, CLASSES);
  assert.deepEqual(
    Array.from(pred.pixels),
    Array.from(testImages.data.subarray(k * SIZE * SIZE, (k + 1) * SIZE * SIZE)),
    'the PNG decodes to the test image',
  );
  assert.ok(Math.abs(pred.engine.reduce((a, b) => a + b, 0) - 1) < 1e-6, 'probabilities sum to 1');
  assert.ok(pred.onnx !== null, `onnxruntime: ${pred.onnxError}`);
  pred.engine.forEach((v, i) => assert.ok(Math.abs(v - pred.onnx![i]) < 1e-5, `class ${i}: engine ${v}, onnxruntime ${pred.onnx![i]}`));
  await assert.rejects(predictRunImage(result.runDir, new Uint8Array([1, 2, 3, 4]), 'junk.png'), /junk\.png: not a PNG or JPEG image/);
});
