/**
 * The generated PyTorch training script reads image data itself (issue 12): an IDX set written here,
 * with flips, crops, scale and normalize, trains under the real PyTorch (/usr/bin/python3, torch 1.13,
 * no torchvision) and reports its test accuracy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from '../../engine/graph/parse';
import { generatePyTorch } from '../../engine/graph/codegen/python';
import { tempDir, sequentialDoc, type LayerSpec } from './helpers';
import { CLASSES, SIZE, writeIdxSet } from './idx_bars';

const PYTHON = '/usr/bin/python3';
const layers: LayerSpec[] = [['Flatten'], ['Linear', { inFeatures: 64, outFeatures: 16 }], ['ReLU'], ['Linear', { inFeatures: 16, outFeatures: 3 }]];

test('the generated script reads IDX files with gzip and numpy, runs the transforms and reports test accuracy', async () => {
  const dir = await tempDir('py-idx');
  const train = await writeIdxSet(dir, 'train', 240, 1);
  const testSet = await writeIdxSet(dir, 'test', 90, 2);
  const transforms = [
    { kind: 'scale' },
    { kind: 'randomHorizontalFlip' },
    { kind: 'randomCrop', padding: 1 },
    { kind: 'normalize', mean: [0.3], std: [0.3] },
  ];
  const doc = sequentialDoc('bars', [1, SIZE, SIZE], layers, {
    data: { kind: 'idx', ...train, test: testSet, classNames: CLASSES, transforms },
    loss: 'CrossEntropyLoss',
    optimizer: { type: 'Adam', lr: 0.01 },
    epochs: 15,
    batchSize: 32,
    shuffle: true,
    validationSplit: 0.25,
    seed: 3,
  });
  const code = generatePyTorch(parseDocument(doc, 'bars.nnb.json'), { training: true });
  assert.match(code, /def read_idx\(path\)/);
  assert.match(code, /loss = loss_fn\(model\(transform\(xb, True\)\), yb\)/);
  const script = path.join(dir, 'bars.py');
  await fsp.writeFile(script, code);
  const out = path.join(dir, 'bars.pt');
  const r = spawnSync(PYTHON, [script, '--out', out], { encoding: 'utf8', cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  const acc = /test accuracy ([0-9.]+)/.exec(r.stdout);
  assert.ok(acc !== null, r.stdout);
  assert.ok(Number(acc[1]) >= 0.9, `test accuracy ${acc[1]}\n${r.stdout}`);
  assert.ok(existsSync(out), 'the state dict is saved');
});

test('a Fashion-MNIST section reads the four files from its folder, and says which is missing', async () => {
  const dir = await tempDir('py-fashion');
  const doc = sequentialDoc('fm', [784], [['Linear', { inFeatures: 784, outFeatures: 10 }]], {
    data: { kind: 'fashionMnist', dir: 'nowhere' },
    loss: 'CrossEntropyLoss',
    optimizer: { type: 'Adam', lr: 0.001 },
    epochs: 1,
  });
  const code = generatePyTorch(parseDocument(doc, 'fm.nnb.json'), { training: true });
  assert.match(code, /CLASS_NAMES = json\.loads\('\["T-shirt\/top"/);
  const script = path.join(dir, 'fm.py');
  await fsp.writeFile(script, code);
  const r = spawnSync(PYTHON, [script], { encoding: 'utf8', cwd: dir });
  assert.notEqual(r.status, 0);
  assert.match(
    r.stderr,
    /Fashion-MNIST is not in .*nowhere: train-images-idx3-ubyte\.gz is missing; install the Debian package dataset-fashion-mnist/,
  );
});
