/**
 * After a run: the Runs listing shows it with its final metrics; Evaluate reproduces the validation
 * metrics with a confusion matrix; Predict gives the engine's output and onnxruntime's side by side.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { startRun } from '../../engine/train/host';
import { listRuns, readRun } from '../../engine/train/runs';
import { evaluateRun, predictRun } from '../../engine/train/after';
import { tempDir, writeSpiralNetDoc } from './helpers';

test('runs listing, Evaluate and Predict on a finished run', async () => {
  const dir = await tempDir('after');
  const doc = await writeSpiralNetDoc(dir, 'spiral_val', { epochs: 1500, validationSplit: 0.25, seed: 1 });
  const runs = path.join(dir, 'runs');
  const result = await (await startRun({ documentPath: doc, outDir: runs, mode: 'inline' })).result;
  assert.equal(result.status, 'completed', result.message);

  const listed = await listRuns(runs, 'spiral_val');
  assert.equal(listed.length, 1);
  assert.equal(listed[0].status, 'completed');
  assert.equal(listed[0].runDir, result.runDir);
  assert.ok(listed[0].hasModel);
  assert.deepEqual(listed[0].final, result.final);
  const details = await readRun(result.runDir);
  assert.ok(details.metrics.length > 10);
  assert.ok(details.metrics.some((r) => r.valLoss !== undefined && r.valAccuracy !== undefined));

  const ev = await evaluateRun(result.runDir);
  assert.equal(ev.split, 'validation');
  assert.equal(ev.samples, 100);
  assert.ok(Math.abs(ev.loss - result.final!.valLoss!) < 1e-6);
  assert.ok(Math.abs(ev.accuracy! - result.final!.valAccuracy!) < 1e-9);
  const confusion = ev.confusion!;
  assert.equal(confusion.length, 2);
  assert.equal(
    confusion.flat().reduce((a, b) => a + b, 0),
    100,
  );
  assert.ok(Math.abs((confusion[0][0] + confusion[1][1]) / 100 - ev.accuracy!) < 1e-9);

  const inputs = [
    [0.5, -1],
    [2, 0.1],
    [-3, 2.5],
  ];
  const p = await predictRun(result.runDir, inputs);
  assert.equal(p.engine.length, 3);
  assert.equal(p.engine[0].length, 1);
  if (p.onnx === null) assert.fail(`onnxruntime gave no output: ${p.onnxError}`);
  assert.ok(p.maxAbsDiff! <= 1e-5, `engine vs onnxruntime differ by ${p.maxAbsDiff}`);
  await assert.rejects(predictRun(result.runDir, [[1, 2, 3]]), /input row 1 has 3 values; the model takes 2/);
  await fsp.rm(dir, { recursive: true, force: true });
});

test('Predict after a resume uses the new weights, not an ONNX file exported before it', async () => {
  const dir = await tempDir('after2');
  const doc = await writeSpiralNetDoc(dir, 'spiral_more', { epochs: 200 });
  const first = await (await startRun({ documentPath: doc, outDir: path.join(dir, 'runs'), mode: 'inline' })).result;
  const inputs = [
    [0.5, -1],
    [2, 0.1],
  ];
  const before = await predictRun(first.runDir, inputs);
  assert.ok(before.onnx !== null && before.maxAbsDiff! <= 1e-5, before.onnxError ?? '');
  // More epochs on the same run folder: new model.safetensors, same model.onnx path.
  const more = await (await startRun({ documentPath: doc, resume: first.runDir, overrides: { epochs: 3000 }, mode: 'inline' })).result;
  assert.equal(more.status, 'completed', more.message);
  const after = await predictRun(first.runDir, inputs);
  assert.notDeepEqual(after.engine, before.engine, 'the resumed run changed the weights');
  assert.ok(after.onnx !== null && after.maxAbsDiff! <= 1e-5, `onnxruntime differs from the engine by ${after.maxAbsDiff}: a stale model.onnx`);
  await fsp.rm(dir, { recursive: true, force: true });
});
