/**
 * `nnb train` on the shipped spiral example (the tutorial's 2-4-1 Tanh net, BCEWithLogitsLoss, SGD lr 1,
 * full batch, 10,000 epochs): exit code 0, a complete run folder with correct contents, and a training
 * accuracy of at least 0.85 measured independently from model.safetensors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { runTrainCommand } from '../../engine/train/cli';
import { modelFromDocument } from '../../engine/train/document';
import { loadData } from '../../engine/train/sources';
import { resolveRunConfig } from '../../engine/train/config';
import { unpackCheckpoint } from '../../engine/train/checkpoint';
import { noGrad } from '../../engine/autograd';
import type { MetricsRecord, RunResult } from '../../engine/train/protocol';
import { tempDir, readTensors, captureIO, SPIRAL_EXAMPLE } from './helpers';

test('nnb train on the spiral example writes the whole run folder and reaches accuracy >= 0.85', async () => {
  const out = await tempDir('cli');
  const { io, out: lines, err } = captureIO();
  const code = await runTrainCommand([SPIRAL_EXAMPLE, '--out', out], io);
  assert.equal(code, 0, `exit code ${code}: ${err.join('\n')}`);
  assert.match(lines.join('\n'), /completed: Trained 10000 steps/);

  const document = JSON.parse(await fsp.readFile(SPIRAL_EXAMPLE, 'utf8'));
  const [modelDir] = await fsp.readdir(out);
  const [stamp] = await fsp.readdir(path.join(out, modelDir));
  assert.match(stamp, /^\d{8}-\d{6}$/);
  const runDir = path.join(out, modelDir, stamp);
  assert.deepEqual((await fsp.readdir(runDir)).sort(), ['checkpoints', 'config.json', 'metrics.jsonl', 'model.safetensors', 'plots', 'result.json']);

  // config.json: the exact document and training section, and the resolved config.
  const config = JSON.parse(await fsp.readFile(path.join(runDir, 'config.json'), 'utf8'));
  assert.deepEqual(config.document, document);
  assert.deepEqual(config.training, document.training);
  assert.equal(config.resolved.epochs, 10000);
  assert.equal(config.resolved.loss.type, 'BCEWithLogitsLoss');
  assert.equal(config.resolved.optimizer.type, 'SGD');
  assert.equal(config.resolved.optimizer.lr, 1);
  assert.equal(config.resolved.batchSize, null);

  // metrics.jsonl: one JSON record per logged step, in order, ending at the last step.
  const records = (await fsp.readFile(path.join(runDir, 'metrics.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as MetricsRecord);
  assert.ok(records.length >= 50, `${records.length} records`);
  records.forEach((r, i) => {
    if (i > 0) assert.ok(r.step > records[i - 1].step);
    for (const k of ['loss', 'accuracy', 'lr', 'stepsPerSec', 'elapsedSec', 'etaSec'] as const)
      assert.equal(typeof r[k], 'number', `${k} at step ${r.step}`);
  });
  assert.equal(records[records.length - 1].step, 10000);
  assert.ok(records[records.length - 1].loss < records[0].loss, 'the loss went down');

  // model.safetensors: PyTorch key names (the model's state dict), loading back into a fresh model.
  const model = modelFromDocument(document);
  const fresh = model.build();
  const { tensors } = await readTensors(path.join(runDir, 'model.safetensors'));
  const expected = fresh.stateDict();
  assert.deepEqual(Object.keys(tensors).sort(), Object.keys(expected).sort());
  for (const [k, t] of Object.entries(expected)) assert.deepEqual(tensors[k].shape, t.shape, k);
  fresh.loadStateDict(tensors);
  const resolved = resolveRunConfig('spiral', document.training);
  const data = await loadData(resolved.data, path.dirname(SPIRAL_EXAMPLE), resolved.seed, model.inputShape);
  assert.equal(data.kind, 'tensors');
  if (data.kind !== 'tensors') return;
  const accuracy = noGrad(() => fresh.forward(data.x).gt(0).eq(data.y).mean().item());
  assert.ok(accuracy >= 0.85, `training accuracy ${accuracy}`);

  // result.json agrees.
  const result = JSON.parse(await fsp.readFile(path.join(runDir, 'result.json'), 'utf8')) as RunResult;
  assert.equal(result.status, 'completed');
  assert.equal(result.step, 10000);
  assert.ok(Math.abs(result.final!.accuracy! - accuracy) < 1e-6, `${result.final!.accuracy} vs ${accuracy}`);

  // checkpoints: the first and last steps at least, each with weights, optimizer state and the loop state.
  const checkpoints = await fsp.readdir(path.join(runDir, 'checkpoints'));
  assert.ok(checkpoints.includes('step-0.safetensors') && checkpoints.includes('step-10000.safetensors'), checkpoints.join(', '));
  assert.ok(!checkpoints.some((n) => n.includes('.tmp')), 'no temporary files left behind');
  const last = await readTensors(path.join(runDir, 'checkpoints', 'step-10000.safetensors'));
  const ck = unpackCheckpoint(last.tensors, last.metadata, 'step-10000');
  assert.equal(ck.meta.loop.step, 10000);
  assert.deepEqual(
    ck.modelState['0.weight']?.data ?? Object.values(ck.modelState)[0].data,
    tensors['0.weight']?.data ?? Object.values(tensors)[0].data,
  );
  assert.equal(ck.meta.loop.generatorState.length, 6);

  // plots: the loss curve (SVG) and the decision boundary (PNG) of a 2-D classifier.
  const svg = await fsp.readFile(path.join(runDir, 'plots', 'loss.svg'), 'utf8');
  assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  const png = PNG.sync.read(await fsp.readFile(path.join(runDir, 'plots', 'decision_boundary.png')));
  assert.ok(png.width >= 200 && png.height >= 200);
  // Both classes' colours fill regions of the boundary plot: the arms are separated, not one flat colour.
  let reddish = 0;
  let bluish = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    if (png.data[i] > png.data[i + 2] + 40) reddish++;
    else if (png.data[i + 2] > png.data[i] + 40) bluish++;
  }
  assert.ok(reddish > 0.15 * png.width * png.height && bluish > 0.15 * png.width * png.height, `red ${reddish}, blue ${bluish}`);
  await fsp.rm(out, { recursive: true, force: true });
});

test('nnb train reports usage errors with exit code 2 and a missing file with 1', async () => {
  const { io, err } = captureIO();
  assert.equal(await runTrainCommand([], io), 2);
  assert.match(err.join('\n'), /usage: nnb train/);
  const second = captureIO();
  assert.equal(await runTrainCommand(['/nonexistent/model.nnb.json'], second.io), 1);
  assert.match(second.err.join('\n'), /cannot read the model file/);
  const third = captureIO();
  assert.equal(await runTrainCommand([SPIRAL_EXAMPLE, '--epochs', 'many'], third.io), 1);
  assert.match(third.err.join('\n'), /--epochs expects a whole number/);
});
