/**
 * Reading a big CSV: the run reports how much of the file it has read before training starts (the CLI
 * prints it, the editor shows it), and Stop while the file is still being read ends the run at once with
 * nothing trained, instead of after the whole file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { startRun } from '../../engine/train/host';
import { runTrainCommand } from '../../engine/train/cli';
import { tempDir, writeSpiralNetDoc, captureIO } from './helpers';

/** Two features and a 0/1 label per row, about 2.6 MB for 120,000 rows. */
async function writePointsCsv(file: string, rows: number): Promise<void> {
  const lines = ['x1,x2,label'];
  for (let i = 0; i < rows; i++) lines.push(`${Math.sin(i).toFixed(6)},${Math.cos(i * 1.3).toFixed(6)},${i % 2}`);
  await fsp.writeFile(file, lines.join('\n') + '\n');
}

async function pointsModel(dir: string): Promise<string> {
  await writePointsCsv(path.join(dir, 'points.csv'), 120_000);
  return writeSpiralNetDoc(dir, 'points', {
    data: { kind: 'csv', path: 'points.csv', label: 'label' },
    optimizer: { type: 'SGD', lr: 0.5 },
    epochs: 1,
    batchSize: 4096,
  });
}

test('Stop while a big CSV is being read ends the run at once, with nothing trained', async () => {
  const dir = await tempDir('loading');
  const doc = await pointsModel(dir);
  const size = (await fsp.stat(path.join(dir, 'points.csv'))).size;
  const run = await startRun({ documentPath: doc, outDir: path.join(dir, 'runs'), mode: 'inline' });
  const seen: { bytes: number; totalBytes: number }[] = [];
  let started = false;
  run.on('started', () => (started = true));
  run.once('loading', (p) => {
    seen.push(p);
    run.stop();
  });
  const result = await run.result;
  assert.equal(result.status, 'stopped', result.message);
  assert.match(result.message, /Stopped while reading the data, before any training step/);
  assert.equal(started, false, 'training never started');
  assert.equal(seen[0].totalBytes, size);
  assert.ok(seen[0].bytes < size, `stopped after ${seen[0].bytes} of ${size} bytes`);
  assert.equal(result.hasModel, false);
  await assert.rejects(fsp.access(path.join(run.runDir, 'model.safetensors')));
  assert.deepEqual(await fsp.readdir(path.join(run.runDir, 'checkpoints')), []);
});

test('nnb train prints how much of a big CSV it has read, then trains on all of it', async () => {
  const dir = await tempDir('loadcli');
  const doc = await pointsModel(dir);
  const { io, out, err } = captureIO();
  assert.equal(await runTrainCommand([doc, '--out', path.join(dir, 'runs')], io), 0, err.join('\n'));
  const reading = out.filter((l) => l.startsWith('reading data: '));
  assert.ok(reading.length >= 1 && reading.length <= 4, reading.join('\n'));
  assert.match(reading[reading.length - 1], /^reading data: 100% \(2\.\d of 2\.\d MB\)$/);
  const firstTraining = out.findIndex((l) => l.startsWith('training points:'));
  assert.ok(firstTraining > out.indexOf(reading[reading.length - 1]), 'reading is reported before training starts');
  assert.match(out.join('\n'), /training points: 120000 training \/ 0 validation samples, 30 steps/);
});
