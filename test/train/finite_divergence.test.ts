// Divergence that is not NaN (issue 14, item 7): a loss that grew by orders of magnitude, or ended far above
// where it started, is a diverged run with the NaN case's advice, and the suggested values print cleanly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { runTrainCommand } from '../../engine/train/cli';
import { GROWTH_FACTOR, END_FACTOR, cleanNumber, divergenceMessage, lossGrowth } from '../../engine/train/loop/divergence';
import { tempDir, captureIO, writeSpiralNetDoc } from './helpers';

test('lr 1e6 on the spiral is diverged, not completed: the loss grew from its start, with the advice and no model', async () => {
  const dir = await tempDir('grow');
  const doc = await writeSpiralNetDoc(dir, 'huge_lr', { optimizer: { type: 'SGD', lr: 1e6 }, epochs: 300, checkpointEvery: 50 });
  const { io, err } = captureIO();
  assert.equal(await runTrainCommand([doc, '--out', path.join(dir, 'runs')], io), 1, err.join('\n'));
  const message = err.join('\n');
  const grew = /The loss grew from (\S+) to (\S+) by step (\d+), so training stopped/.exec(message);
  assert.ok(grew, message);
  assert.ok(Number(grew[2]) > GROWTH_FACTOR * Number(grew[1]), message);
  assert.match(message, /lower the learning rate \(now 1000000; try 100000\)/);
  const [stamp] = await fsp.readdir(path.join(dir, 'runs', 'huge_lr'));
  const runDir = path.join(dir, 'runs', 'huge_lr', stamp);
  const result = JSON.parse(await fsp.readFile(path.join(runDir, 'result.json'), 'utf8'));
  assert.equal(result.status, 'diverged');
  assert.ok(result.step < 300 * 1, `stopped early, at step ${result.step}`);
  await assert.rejects(fsp.access(path.join(runDir, 'model.safetensors')), 'a diverged run writes no model');
  await fsp.rm(dir, { recursive: true, force: true });
});

test('growth: orders of magnitude at any step, END_FACTOR above the start only at the end', () => {
  assert.equal(lossGrowth(0.7, 0.7 * GROWTH_FACTOR * 0.99, 10, false), null);
  assert.deepEqual(lossGrowth(0.7, 0.7 * GROWTH_FACTOR * 1.01, 10, false), { step: 10, loss: 0.7 * GROWTH_FACTOR * 1.01, from: 0.7 });
  assert.equal(lossGrowth(0.7, 0.7 * END_FACTOR * 1.01, 10, false), null, 'a spike midway is no divergence');
  assert.deepEqual(lossGrowth(0.7, 0.7 * END_FACTOR * 1.01, 10, true), { step: 10, loss: 0.7 * END_FACTOR * 1.01, from: 0.7, atEnd: true });
  assert.equal(lossGrowth(0.7, 0.01, 10, true), null, 'a loss that fell is fine');
  assert.equal(lossGrowth(0, 1e-9, 10, true), null, 'noise above a zero start is no divergence');
});

test('suggested values print as a person writes them', () => {
  assert.equal(1e30 / 10, 1.0000000000000001e29, 'the float the message used to print');
  assert.equal(cleanNumber(1e30 / 10), '1e+29');
  assert.equal(cleanNumber(0.003 / 10), '0.0003');
  const m = divergenceMessage({ step: 40, loss: 112823.4567, from: 0.6931 }, 1e30, 'step-20.safetensors');
  assert.match(m, /^The loss grew from 0\.6931 to 112800 by step 40, so training stopped\. /);
  assert.match(m, /\(now 1e\+30; try 1e\+29\)/);
  assert.match(m, /The last checkpoint before that is kept: checkpoints\/step-20\.safetensors\.$/);
  assert.match(
    divergenceMessage({ step: 300, loss: 9, from: 0.7, atEnd: true }, 0.5, undefined),
    /ended at 9 after step 300, far above where it started \(0\.7\).*try 0\.05\).*No checkpoint was written before that\.$/,
  );
});
