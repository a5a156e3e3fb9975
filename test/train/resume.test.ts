/**
 * Stop and resume give exactly the weights of an uninterrupted run with the same seed: mini-batches with
 * shuffling, Adam with its moments, a StepLR schedule, dropout drawing from the default generator and a
 * validation split, stopped in the middle of an epoch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { startRun } from '../../engine/train/host';
import { readMetrics } from '../../engine/train/run_folder';
import { META_KEY } from '../../engine/train/checkpoint';
import { tempDir, sequentialDoc, writeDoc, readTensors } from './helpers';

const training = {
  data: { kind: 'builtin', name: 'spiral' },
  loss: 'BCEWithLogitsLoss',
  optimizer: { type: 'Adam', lr: 0.02 },
  schedule: { type: 'StepLR', stepSize: 3, gamma: 0.5 },
  epochs: 8,
  batchSize: 48,
  shuffle: true,
  validationSplit: 0.2,
  seed: 7,
  checkpointEvery: 25,
  logEvery: 5,
};
const layers = [
  ['Linear', { inFeatures: 2, outFeatures: 16 }],
  ['Tanh'],
  ['Dropout', { p: 0.1 }],
  ['Linear', { inFeatures: 16, outFeatures: 1 }],
] as const;

test('stop and resume reproduce the uninterrupted run exactly', async () => {
  const dir = await tempDir('resume');
  const doc = await writeDoc(dir, 'spiral_adam.nnb.json', sequentialDoc('spiral_adam', [2], layers.map((l) => [...l]) as never, training));

  const full = await startRun({ documentPath: doc, outDir: path.join(dir, 'runs'), mode: 'inline' });
  const fullResult = await full.result;
  assert.equal(fullResult.status, 'completed', fullResult.message);

  const part = await startRun({ documentPath: doc, outDir: path.join(dir, 'runs'), mode: 'inline' });
  // Stop at the first record past step 37: inside epoch 5 (7 batches per epoch), between two checkpoints.
  part.on('metrics', (r) => {
    if (r.step >= 37) part.stop();
  });
  const stopped = await part.result;
  assert.equal(stopped.status, 'stopped', stopped.message);
  assert.ok(stopped.step > 0 && stopped.step < fullResult.totalSteps, `stopped at ${stopped.step}`);
  assert.ok(stopped.step % 7 !== 0, 'the stop should fall inside an epoch');
  assert.match(stopped.message, /Resume from checkpoints\/step-\d+\.safetensors/);
  // Stop keeps what was learned: weights and a checkpoint at the step it stopped.
  await fsp.access(path.join(part.runDir, 'model.safetensors'));
  await fsp.access(path.join(part.runDir, 'checkpoints', `step-${stopped.step}.safetensors`));

  const resumed = await startRun({ documentPath: doc, resume: part.runDir, mode: 'inline' });
  const resumedResult = await resumed.result;
  assert.equal(resumedResult.status, 'completed', resumedResult.message);
  assert.equal(resumed.runDir, part.runDir);

  const a = await fsp.readFile(path.join(full.runDir, 'model.safetensors'));
  const b = await fsp.readFile(path.join(part.runDir, 'model.safetensors'));
  assert.ok(a.equals(b), 'final weights differ between the uninterrupted and the resumed run');
  // Final checkpoints: same tensors (weights, Adam moments) and the same optimizer, schedule and generator
  // state; only the training time differs.
  const last = `step-${fullResult.totalSteps}.safetensors`;
  const ca = await readTensors(path.join(full.runDir, 'checkpoints', last));
  const cb = await readTensors(path.join(part.runDir, 'checkpoints', last));
  assert.deepEqual(Object.keys(cb.tensors), Object.keys(ca.tensors));
  assert.ok(
    Object.keys(ca.tensors).some((k) => k.startsWith('optimizer.') && k.endsWith('.exp_avg_sq')),
    'Adam moments are in the checkpoint',
  );
  for (const k of Object.keys(ca.tensors)) assert.deepEqual(cb.tensors[k].data, ca.tensors[k].data, k);
  const meta = (m: Record<string, string>) => {
    const parsed = JSON.parse(m[META_KEY]);
    delete parsed.loop.elapsedMs;
    return parsed;
  };
  assert.deepEqual(meta(cb.metadata), meta(ca.metadata));

  // The metrics history is continuous and equal to the uninterrupted run's, except wall-clock fields.
  const strip = (rs: Awaited<ReturnType<typeof readMetrics>>) => rs.map(({ stepsPerSec: _s, elapsedSec: _e, etaSec: _t, time: _w, ...rest }) => rest);
  assert.deepEqual(strip(await readMetrics(part.runDir)), strip(await readMetrics(full.runDir)));
  const config = JSON.parse(await fsp.readFile(path.join(part.runDir, 'config.json'), 'utf8'));
  assert.equal(config.resumedFrom.length, 1);
  await fsp.rm(dir, { recursive: true, force: true });
});
