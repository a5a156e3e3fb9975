/**
 * A run whose files cannot be written: the first failed checkpoint stops the run as 'failed' with a
 * message naming the file, every checkpoint written before stays intact and loadable, and no temporary
 * file is left behind (writes are atomic: temp file, then rename).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { startRun } from '../../engine/train/host';
import { writeFileAtomic } from '../../engine/train/run_folder';
import { unpackCheckpoint } from '../../engine/train/checkpoint';
import { tempDir, writeSpiralNetDoc, readTensors } from './helpers';

test('a failed atomic write leaves the old file and no temporary file', async () => {
  const dir = await tempDir('atomic');
  const file = path.join(dir, 'weights.bin');
  await writeFileAtomic(file, 'old');
  await writeFileAtomic(file, 'new');
  assert.equal(await fsp.readFile(file, 'utf8'), 'new');
  // The target is a non-empty folder: the rename fails after the temp file was written.
  const blocked = path.join(dir, 'blocked.bin');
  mkdirSync(blocked);
  writeFileSync(path.join(blocked, 'inside'), 'x');
  await assert.rejects(writeFileAtomic(blocked, 'data'));
  assert.deepEqual((await fsp.readdir(dir)).sort(), ['blocked.bin', 'weights.bin']);
  assert.equal(await fsp.readFile(file, 'utf8'), 'new');
});

test('a checkpoint that cannot be written stops the run and keeps the earlier checkpoints', async () => {
  const dir = await tempDir('writefail');
  // Far more steps than run before the failure is seen, so stopping early is visible.
  const doc = await writeSpiralNetDoc(dir, 'spiral', { epochs: 2_000_000, checkpointEvery: 1000, logEvery: 500 });
  const run = await startRun({ documentPath: doc, outDir: path.join(dir, 'runs'), mode: 'inline' });
  // The run starts on the next turn of the event loop: block step 3000's file before then.
  const blocker = path.join(run.runDir, 'checkpoints', 'step-3000.safetensors');
  mkdirSync(blocker);
  writeFileSync(path.join(blocker, 'in-the-way'), 'x');
  const result = await run.result;

  assert.equal(result.status, 'failed', result.message);
  assert.match(result.message, /^Training stopped at step \d+ because cannot write checkpoints\/step-3000\.safetensors/);
  assert.match(result.message, /the newest checkpoint is checkpoints\/step-\d+\.safetensors/);
  assert.ok(result.step < result.totalSteps / 10, `stopped at step ${result.step} of ${result.totalSteps}`);

  const names = (await fsp.readdir(path.join(run.runDir, 'checkpoints'))).filter((n) => n !== 'step-3000.safetensors');
  assert.deepEqual(
    names.filter((n) => n.includes('tmp')),
    [],
    'no temporary files',
  );
  for (const n of ['step-0.safetensors', 'step-1000.safetensors', 'step-2000.safetensors']) {
    assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
    const ck = await readTensors(path.join(run.runDir, 'checkpoints', n));
    const unpacked = unpackCheckpoint(ck.tensors, ck.metadata, n);
    assert.equal(unpacked.meta.loop.step, Number(/\d+/.exec(n)![0]));
  }
  const onDisk = JSON.parse(await fsp.readFile(path.join(run.runDir, 'result.json'), 'utf8'));
  assert.equal(onDisk.status, 'failed');
  assert.equal(onDisk.message, result.message);
});

test('a run-folder write to a symlinked file writes through it and leaves the link a link', async () => {
  const dir = await tempDir('atomic-link');
  const real = path.join(dir, 'real.safetensors');
  const link = path.join(dir, 'link.safetensors');
  await writeFileAtomic(real, 'old');
  await fsp.symlink(real, link);
  await writeFileAtomic(link, 'new');
  assert.ok((await fsp.lstat(link)).isSymbolicLink(), 'still a link');
  assert.equal(await fsp.readFile(real, 'utf8'), 'new');
  assert.deepEqual((await fsp.readdir(dir)).sort(), ['link.safetensors', 'real.safetensors'], 'no temp file left');
});
