/**
 * A safetensors file with the inputs and labels as data source (tensor names configurable): the spiral's
 * points saved to a file train to exactly the weights of a run on the built-in spiral, and the Runs view's
 * Evaluate reads the same file again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { startRun } from '../../engine/train/host';
import { evaluateRun } from '../../engine/train/after';
import { saveSafetensors } from '../../engine/io';
import { spiral } from '../../engine/data';
import { tempDir, writeSpiralNetDoc } from './helpers';

test('a safetensors data file trains like the same data built in', async () => {
  const dir = await tempDir('stdata');
  const { x, y } = spiral();
  saveSafetensors(path.join(dir, 'flower.safetensors'), { points: x, labels: y });
  const builtin = await writeSpiralNetDoc(dir, 'builtin', { epochs: 500, seed: 3 });
  const fromFile = await writeSpiralNetDoc(dir, 'fromfile', {
    data: { kind: 'safetensors', path: 'flower.safetensors', x: 'points', y: 'labels' },
    epochs: 500,
    seed: 3,
  });
  const a = await (await startRun({ documentPath: builtin, mode: 'inline' })).result;
  const b = await (await startRun({ documentPath: fromFile, mode: 'inline' })).result;
  assert.equal(b.status, 'completed', b.message);
  const wa = await fsp.readFile(path.join(a.runDir, 'model.safetensors'));
  const wb = await fsp.readFile(path.join(b.runDir, 'model.safetensors'));
  assert.ok(wa.equals(wb), 'the same points and labels give the same weights');
  const ev = await evaluateRun(b.runDir);
  assert.equal(ev.samples, 400);
  assert.ok(Math.abs(ev.accuracy! - b.final!.accuracy!) < 1e-9);

  // A tensor name that is not in the file says which names are.
  const wrong = await writeSpiralNetDoc(dir, 'wrong', { data: { kind: 'safetensors', path: 'flower.safetensors' }, epochs: 1 });
  const c = await (await startRun({ documentPath: wrong, mode: 'inline' })).result;
  assert.equal(c.status, 'failed');
  assert.match(c.message, /has no tensor 'x' for the inputs \(tensors: (points, labels|labels, points)\)/);
});
