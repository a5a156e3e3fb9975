/**
 * The shipped 28x28 MLP example (Flatten-784-512-ReLU-512-ReLU-10, CrossEntropyLoss, Adam, batch 64,
 * validation split 0.1) trains on a generated CSV on the worker thread (how free that leaves the main
 * thread is measured by npm run bench, bench/limits.ts). Stop from the host ends the run between steps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { startRun } from '../../engine/train/host';
import { Generator } from '../../engine/random';
import { tempDir, MLP_EXAMPLE } from './helpers';

/** Ten classes, each a fixed random 28x28 template plus noise: learnable, like a tiny MNIST. */
async function writeDigitsCsv(file: string, rows: number): Promise<void> {
  const g = new Generator(42);
  const templates = Array.from({ length: 10 }, () => Float32Array.from({ length: 784 }, () => (g.random() < 0.3 ? 1 : 0)));
  const header = [...Array.from({ length: 784 }, (_, i) => `p${i}`), 'label'].join(',');
  const lines = [header];
  for (let r = 0; r < rows; r++) {
    const c = r % 10;
    const px = templates[c].map((v) => Math.min(1, Math.max(0, v * 0.8 + g.random() * 0.4)));
    lines.push(`${Array.from(px, (v) => v.toFixed(2)).join(',')},${c}`);
  }
  await fsp.writeFile(file, lines.join('\n') + '\n');
}

/** The shipped example, copied beside a generated data/mnist_like.csv (the file its training section names). */
async function exampleWithData(dir: string, rows: number): Promise<string> {
  await fsp.mkdir(path.join(dir, 'data'));
  await writeDigitsCsv(path.join(dir, 'data', 'mnist_like.csv'), rows);
  const file = path.join(dir, 'mlp_28x28.nnb.json');
  await fsp.copyFile(MLP_EXAMPLE, file);
  return file;
}

test('the 28x28 MLP trains on a CSV through the worker', async () => {
  const dir = await tempDir('mlp');
  const doc = await exampleWithData(dir, 1000);

  const run = await startRun({ documentPath: doc, outDir: path.join(dir, 'runs'), overrides: { epochs: 2 } });
  const seen: number[] = [];
  let grids = 0;
  run.on('metrics', (r) => seen.push(r.step));
  run.on('grid', () => grids++);
  const result = await run.result;

  assert.equal(result.status, 'completed', result.message);
  assert.equal(result.totalSteps, 2 * Math.ceil(900 / 64));
  assert.ok(seen.length > 0 && seen[seen.length - 1] === result.totalSteps);
  assert.equal(grids, 0, '784 inputs: no decision-boundary grid');
  assert.ok(result.final!.valAccuracy !== undefined && result.final!.accuracy! > 0.5, JSON.stringify(result.final));
  await fsp.access(path.join(result.runDir, 'model.safetensors'));
  await fsp.rm(dir, { recursive: true, force: true });
});

test('stop() from the host ends a worker run between steps and keeps its weights', async () => {
  const dir = await tempDir('mlpstop');
  const doc = await exampleWithData(dir, 300);
  const run = await startRun({ documentPath: doc, outDir: path.join(dir, 'runs'), overrides: { epochs: 50 } });
  run.once('metrics', () => run.stop());
  const result = await run.result;
  assert.equal(result.status, 'stopped', result.message);
  assert.ok(result.step < result.totalSteps);
  await fsp.access(path.join(result.runDir, 'model.safetensors'));
  await fsp.access(path.join(result.runDir, 'checkpoints', `step-${result.step}.safetensors`));
  await fsp.rm(dir, { recursive: true, force: true });
});
