/**
 * Runs that must fail well: a learning rate so large that the loss becomes NaN/Inf stops with a message
 * suggesting the fix and keeps the last good checkpoint; a CSV with a bad row fails naming its line;
 * a loss that does not fit the model says what to change.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { runTrainCommand } from '../../engine/train/cli';
import { startRun } from '../../engine/train/host';
import { unpackCheckpoint } from '../../engine/train/checkpoint';
import { saveSafetensors } from '../../engine/io';
import { Tensor } from '../../engine/tensor';
import { tempDir, sequentialDoc, writeDoc, readTensors, captureIO, spiralLayers } from './helpers';

test('a diverging run stops with the divergence message and keeps the last good checkpoint', async () => {
  const dir = await tempDir('nan');
  const doc = await writeDoc(
    dir,
    'blowup.nnb.json',
    sequentialDoc('blowup', [1], [['Linear', { inFeatures: 1, outFeatures: 16 }], ['ReLU'], ['Linear', { inFeatures: 16, outFeatures: 1 }]], {
      data: { kind: 'builtin', name: 'quadratic' },
      loss: 'MSELoss',
      optimizer: { type: 'SGD', lr: 50 },
      epochs: 200,
      checkpointEvery: 1,
    }),
  );
  const { io, err } = captureIO();
  const code = await runTrainCommand([doc, '--out', path.join(dir, 'runs')], io);
  assert.equal(code, 1);
  const message = err.join('\n');
  // lr 50 blows the loss up by orders of magnitude before it overflows: caught as growth (or, on another
  // machine's float order, as the NaN/Inf it becomes next), with the same advice either way.
  assert.match(message, /^diverged: (The loss became (NaN|Infinity|-Infinity) at step \d+|The loss grew from \S+ to \S+ by step \d+)/m);
  assert.match(message, /lower the learning rate \(now 50; try 5\)/);
  assert.match(message, /check the data/);
  const match = /The last (?:good )?checkpoint (?:before that )?is kept: checkpoints\/(step-(\d+)\.safetensors)/.exec(message);
  assert.ok(match, message);

  const [stamp] = await fsp.readdir(path.join(dir, 'runs', 'blowup'));
  const runDir = path.join(dir, 'runs', 'blowup', stamp);
  const names = await fsp.readdir(path.join(runDir, 'checkpoints'));
  assert.ok(names.includes(match[1]));
  // It is the newest checkpoint, and its weights are finite.
  const steps = names.map((n) => Number(/step-(\d+)/.exec(n)![1]));
  assert.equal(Math.max(...steps), Number(match[2]));
  const ck = await readTensors(path.join(runDir, 'checkpoints', match[1]));
  for (const [k, t] of Object.entries(unpackCheckpoint(ck.tensors, ck.metadata, match[1]).modelState)) {
    assert.ok(t.data.every(Number.isFinite), `${k} is not finite in the kept checkpoint`);
  }
  // Non-finite weights are never written as the model.
  await assert.rejects(fsp.access(path.join(runDir, 'model.safetensors')));
  const result = JSON.parse(await fsp.readFile(path.join(runDir, 'result.json'), 'utf8'));
  assert.equal(result.status, 'diverged');
  await fsp.rm(dir, { recursive: true, force: true });
});

test('a CSV with a non-numeric value fails with its line number', async () => {
  const dir = await tempDir('csv');
  const rows = ['x1,x2,label'];
  for (let i = 0; i < 20; i++) rows.push(`${(i / 10).toFixed(2)},${(1 - i / 10).toFixed(2)},${i % 2}`);
  rows[7] = '0.5,abc,1'; // line 8 of the file
  await fsp.writeFile(path.join(dir, 'points.csv'), rows.join('\n') + '\n');
  const doc = await writeDoc(
    dir,
    'points.nnb.json',
    sequentialDoc('points', [2], spiralLayers, {
      data: { kind: 'csv', path: 'points.csv', label: 'label' },
      loss: 'BCEWithLogitsLoss',
      optimizer: { type: 'SGD', lr: 0.1 },
      epochs: 2,
    }),
  );
  const { io, err } = captureIO();
  assert.equal(await runTrainCommand([doc, '--out', path.join(dir, 'runs')], io), 1);
  const message = err.join('\n');
  assert.match(message, /line 8|:8\b/, message);
  assert.match(message, /x2/, message);
  assert.match(message, /abc/, message);

  // --data replaces the source with another CSV; a good one trains.
  await fsp.writeFile(path.join(dir, 'good.csv'), [rows[0], ...rows.slice(1).filter((_, i) => i !== 6)].join('\n') + '\n');
  const ok = captureIO();
  assert.equal(await runTrainCommand([doc, '--data', path.join(dir, 'good.csv'), '--out', path.join(dir, 'runs')], ok.io), 0, ok.err.join('\n'));
  await fsp.rm(dir, { recursive: true, force: true });
});

test('NaN or infinite values in the data fail naming the line and column, or the tensor and sample', async () => {
  const dir = await tempDir('nonfinite');
  const rows = ['x1,x2,label'];
  for (let i = 0; i < 10; i++) rows.push(`${i / 10},${1 - i / 10},${i % 2}`);
  rows[4] = '0.3,NaN,1'; // line 5: pandas writes missing values as NaN
  await fsp.writeFile(path.join(dir, 'gaps.csv'), rows.join('\n') + '\n');
  rows[4] = '0.3,0.7,1';
  rows[9] = '1e999,0.1,0'; // line 10: overflows to Infinity
  await fsp.writeFile(path.join(dir, 'huge.csv'), rows.join('\n') + '\n');
  const x = new Tensor(
    Float32Array.from({ length: 20 }, (_, i) => (i === 13 ? Number.NaN : i / 20)),
    [10, 2],
  );
  saveSafetensors(path.join(dir, 'gaps.safetensors'), { x, y: new Tensor(new Float32Array(10), [10, 1]) });
  const train = (file: string) =>
    sequentialDoc('gaps', [2], spiralLayers, {
      data: { kind: file.endsWith('.csv') ? 'csv' : 'safetensors', path: file },
      loss: 'BCEWithLogitsLoss',
      optimizer: { type: 'SGD', lr: 0.1 },
      epochs: 2,
    });

  for (const [file, expected] of [
    ['gaps.csv', /gaps\.csv:5: column "x2" is "NaN", not a finite number/],
    ['huge.csv', /huge\.csv:10: column "x1" is "1e999", not a finite number/],
    ['gaps.safetensors', /tensor 'x' holds NaN at sample 7, value 2/],
  ] as const) {
    const doc = await writeDoc(dir, `${file}.nnb.json`, train(file));
    const result = await (await startRun({ documentPath: doc, outDir: path.join(dir, 'runs'), mode: 'inline' })).result;
    assert.equal(result.status, 'failed', `${file}: ${result.message}`);
    assert.match(result.message, expected);
  }
  await fsp.rm(dir, { recursive: true, force: true });
});

test('a loss that does not fit the model fails before training, saying what to change', async () => {
  const dir = await tempDir('choice');
  const doc = await writeDoc(
    dir,
    'wrong.nnb.json',
    sequentialDoc('wrong', [2], [['Linear', { inFeatures: 2, outFeatures: 3 }]], {
      data: { kind: 'builtin', name: 'spiral' },
      loss: 'BCEWithLogitsLoss',
      optimizer: { type: 'SGD', lr: 0.1 },
      epochs: 1,
    }),
  );
  const run = await startRun({ documentPath: doc, outDir: path.join(dir, 'runs'), mode: 'inline' });
  const result = await run.result;
  assert.equal(result.status, 'failed');
  assert.match(result.message, /BCEWithLogitsLoss needs one logit per sample/);
  assert.match(result.message, /set the last layer's output size to 1/);

  const ce = await writeDoc(
    dir,
    'ce.nnb.json',
    sequentialDoc('ce', [2], [['Linear', { inFeatures: 2, outFeatures: 1 }]], {
      data: { kind: 'builtin', name: 'spiral' },
      loss: 'CrossEntropyLoss',
      optimizer: { type: 'SGD', lr: 0.1 },
      epochs: 1,
    }),
  );
  const r2 = await (await startRun({ documentPath: ce, outDir: path.join(dir, 'runs'), mode: 'inline' })).result;
  assert.equal(r2.status, 'failed');
  assert.match(r2.message, /CrossEntropyLoss needs one output per class.*set the last layer's output size to 2/);

  await assert.rejects(
    startRun({
      documentPath: ce,
      document: {
        ...JSON.parse(await fsp.readFile(ce, 'utf8')),
        training: { data: { kind: 'builtin', name: 'spiral' }, loss: 'MSELoss', optimizer: { type: 'SGD', lr: -1 }, epochs: 1 },
      },
      outDir: path.join(dir, 'runs'),
    }),
    /training\.optimizer\.lr: expected a number > 0, found -1/,
  );
  await fsp.rm(dir, { recursive: true, force: true });
});
