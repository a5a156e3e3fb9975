/**
 * Image data through a training run (issue 12): IDX files written here train through the byte-backed
 * rows (transforms per batch), report validation and test accuracy in result.json, resume exactly with
 * random flips and crops, and Evaluate gives the test set's confusion matrix with class names.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { FASHION_MNIST_PACKAGE } from '../../engine/data';
import { CLASSES, SIZE, writeIdxSet } from './idx_bars';
import { resolveRunConfig } from '../../engine/train/config';
import { DataSpecSchema } from '../../engine/graph/training';
import { startRun } from '../../engine/train/host';
import { evaluateRun } from '../../engine/train/after';
import { META_KEY } from '../../engine/train/checkpoint';
import type { RunResult } from '../../engine/train/protocol';
import { tempDir, sequentialDoc, writeDoc, readTensors, type LayerSpec } from './helpers';

const layers: LayerSpec[] = [
  ['Flatten'],
  ['Linear', { inFeatures: 64, outFeatures: 16 }],
  ['ReLU'],
  ['Dropout', { p: 0.1 }],
  ['Linear', { inFeatures: 16, outFeatures: 3 }],
];

async function idxDoc(dir: string, extra: Record<string, unknown> = {}, transforms: unknown[] = [{ kind: 'scale' }]): Promise<string> {
  const train = await writeIdxSet(dir, 'train', 240, 1);
  const testSet = await writeIdxSet(dir, 'test', 90, 2);
  const training = {
    data: { kind: 'idx', ...train, test: testSet, classNames: CLASSES, transforms },
    loss: 'CrossEntropyLoss',
    optimizer: { type: 'Adam', lr: 0.01 },
    epochs: 6,
    batchSize: 32,
    shuffle: true,
    validationSplit: 0.25,
    seed: 3,
    ...extra,
  };
  return writeDoc(dir, 'bars.nnb.json', sequentialDoc('bars', [1, SIZE, SIZE], layers, training));
}

test('IDX images train through the run: validation split from the training files, test accuracy from the test files, in result.json', async () => {
  const dir = await tempDir('img-train');
  const doc = await idxDoc(dir);
  const run = await startRun({ documentPath: doc, outDir: path.join(dir, 'runs'), mode: 'inline' });
  const started = new Promise<{ trainSize: number; valSize: number; classes: number; points: unknown }>((resolve) => run.on('started', resolve));
  const result = await run.result;
  assert.equal(result.status, 'completed', result.message);
  const info = await started;
  assert.deepEqual([info.trainSize, info.valSize, info.classes], [180, 60, 3]);
  assert.equal(info.points, null, 'no decision-boundary points for image inputs');
  assert.ok(result.final !== null);
  assert.ok(result.final.testAccuracy !== undefined && result.final.testAccuracy >= 0.9, `test accuracy ${result.final.testAccuracy}`);
  assert.ok(result.final.valAccuracy !== undefined && result.final.valAccuracy >= 0.9, `validation accuracy ${result.final.valAccuracy}`);
  assert.match(result.message, /test accuracy [01]\.\d{4}/);
  const onDisk = JSON.parse(await fsp.readFile(path.join(result.runDir, 'result.json'), 'utf8')) as RunResult;
  assert.equal(onDisk.final?.testAccuracy, result.final.testAccuracy);
  assert.ok(typeof onDisk.final?.testLoss === 'number');

  // Evaluate reports on the test set, with the class names and each class's accuracy.
  const ev = await evaluateRun(result.runDir);
  assert.equal(ev.split, 'test');
  assert.equal(ev.samples, 90);
  assert.deepEqual(ev.classNames, CLASSES);
  assert.ok(ev.confusion !== undefined && ev.perClassAccuracy !== undefined);
  assert.equal(
    ev.confusion.flat().reduce((a, b) => a + b, 0),
    90,
  );
  ev.confusion.forEach((row, i) =>
    assert.equal(
      row.reduce((a, b) => a + b, 0),
      30,
      `class ${CLASSES[i]} has 30 test images`,
    ),
  );
  ev.perClassAccuracy.forEach((a, i) => assert.equal(a, ev.confusion![i][i] / 30));
  assert.ok(Math.abs(ev.accuracy! - result.final.testAccuracy) < 1e-12, 'Evaluate and the run agree on the test accuracy');
});

test('stop and resume with random flips and crops reproduce the uninterrupted image run exactly', async () => {
  const dir = await tempDir('img-resume');
  const doc = await idxDoc(dir, { epochs: 4, checkpointEvery: 5, logEvery: 2 }, [
    { kind: 'scale' },
    { kind: 'randomHorizontalFlip' },
    { kind: 'randomCrop', padding: 1 },
    { kind: 'normalize', mean: [0.3], std: [0.3] },
  ]);
  const full = await startRun({ documentPath: doc, outDir: path.join(dir, 'runs'), mode: 'inline' });
  const fullResult = await full.result;
  assert.equal(fullResult.status, 'completed', fullResult.message);

  const part = await startRun({ documentPath: doc, outDir: path.join(dir, 'runs'), mode: 'inline' });
  // 180 training images in batches of 32: 6 steps per epoch; step 8 is inside the second epoch.
  part.on('metrics', (r) => {
    if (r.step >= 8) part.stop();
  });
  const stopped = await part.result;
  assert.equal(stopped.status, 'stopped', stopped.message);
  assert.ok(stopped.step % 6 !== 0 && stopped.step < fullResult.totalSteps, `stopped at ${stopped.step}`);
  const resumed = await (await startRun({ documentPath: doc, resume: part.runDir, mode: 'inline' })).result;
  assert.equal(resumed.status, 'completed', resumed.message);

  const a = await fsp.readFile(path.join(full.runDir, 'model.safetensors'));
  const b = await fsp.readFile(path.join(part.runDir, 'model.safetensors'));
  assert.ok(a.equals(b), 'final weights differ between the uninterrupted and the resumed run');
  const last = `step-${fullResult.totalSteps}.safetensors`;
  const loopOf = async (runDir: string) => {
    const meta = JSON.parse((await readTensors(path.join(runDir, 'checkpoints', last))).metadata[META_KEY]);
    delete meta.loop.elapsedMs;
    return meta.loop;
  };
  const loop = await loopOf(full.runDir);
  assert.ok(Array.isArray(loop.augmentState), 'the augmentation generator is in the checkpoint');
  assert.deepEqual(await loopOf(part.runDir), loop);
  assert.equal(resumed.final?.testAccuracy, fullResult.final?.testAccuracy);
});

test('image data with a loss that does not take classes fails naming the loss to use', async () => {
  const dir = await tempDir('img-loss');
  const doc = await idxDoc(dir, { loss: 'MSELoss', epochs: 1 });
  const result = await (await startRun({ documentPath: doc, outDir: path.join(dir, 'runs'), mode: 'inline' })).result;
  assert.equal(result.status, 'failed');
  assert.match(result.message, /MSELoss does not take class labels.*3 classes: use CrossEntropyLoss/);
});

test('the data grammar takes the image sources and names their unknown fields', () => {
  assert.ok(DataSpecSchema.safeParse({ kind: 'fashionMnist', dir: 'data/fashion', transforms: [{ kind: 'scale' }] }).success);
  assert.ok(DataSpecSchema.safeParse({ kind: 'imageFolder', path: 'pets', testPath: 'pets-test', resize: true }).success);
  const bad = DataSpecSchema.safeParse({ kind: 'fashionMnist', folder: 'x' });
  assert.ok(!bad.success);
  assert.match(bad.error.issues.map((i) => i.message).join('; '), /folder/);
  const unknown = DataSpecSchema.safeParse({ kind: 'mnist' });
  assert.ok(!unknown.success);
  assert.match(unknown.error.issues[0].message, /idx, fashionMnist, imageFolder/);
});

test('Fashion-MNIST comes from the section dir, else the editor setting, and its absence names the Debian package', async () => {
  const section = (data: Record<string, unknown>) => ({
    data: { kind: 'fashionMnist', ...data },
    loss: 'CrossEntropyLoss',
    optimizer: { type: 'Adam', lr: 0.001 },
    epochs: 1,
  });
  assert.deepEqual(resolveRunConfig('f', section({}), { fashionMnistDir: '/data/fm' }).data, { kind: 'fashionMnist', dir: '/data/fm' });
  assert.equal((resolveRunConfig('f', section({ dir: 'mine' }), { fashionMnistDir: '/data/fm' }).data as { dir?: string }).dir, 'mine');
  assert.equal((resolveRunConfig('f', section({}), { fashionMnistDir: '' }).data as { dir?: string }).dir, undefined);

  const dir = await tempDir('img-missing');
  const doc = await writeDoc(
    dir,
    'f.nnb.json',
    sequentialDoc('f', [1, 28, 28], [['Flatten'], ['Linear', { inFeatures: 784, outFeatures: 10 }]], section({ dir: 'nowhere' })),
  );
  const result = await (await startRun({ documentPath: doc, outDir: path.join(dir, 'runs'), mode: 'inline' })).result;
  assert.equal(result.status, 'failed');
  assert.match(result.message, new RegExp(`Fashion-MNIST is not in ${path.join(dir, 'nowhere').replace(/[/\\]/g, '.')}.*${FASHION_MNIST_PACKAGE}`));
});
