/**
 * The extension host's RunManager (with a fake vscode module): a run on the worker relays its messages
 * to the panel, shows progress, and ends with a result message; a second run of the same model asks
 * first and does nothing when declined; Cancel in the notification stops the run, keeping its weights.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { installFakeVscode, recorded, Uri } from './fake_vscode';
import { tempDir, writeSpiralNetDoc } from './helpers';
import type { HostToPanel } from '../../protocol/training';

installFakeVscode();
// Loaded after the fake is in place.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { RunManager } = require('../../extension/training/run_manager') as typeof import('../../extension/training/run_manager');

test('RunManager: one run per model, progress, relay to panels, Cancel stops', async () => {
  const dir = await tempDir('manager');
  const file = await writeSpiralNetDoc(dir, 'flower', { epochs: 3000 });
  const uri = Uri.file(file) as never;
  const manager = new RunManager({ outDir: () => path.join(dir, 'runs') });
  const messages: HostToPanel[] = [];
  manager.subscribe(uri, (m) => messages.push(m));

  const run = await manager.start(uri, undefined);
  assert.ok(run !== undefined);
  assert.equal(manager.isRunning(uri), true);

  // A second request while running asks first; declining leaves the first run alone.
  recorded.warningAnswer = undefined;
  assert.equal(await manager.start(uri, undefined), undefined);
  assert.match(recorded.warnings[0], /A training run of flower.nnb.json is in progress/);
  assert.equal(manager.isRunning(uri), true);

  // Cancel in the progress notification stops the run.
  await new Promise<void>((resolve) => run!.once('metrics', () => resolve()));
  assert.ok(recorded.cancel !== null, 'the progress notification is cancellable');
  recorded.cancel!();
  const result = await run!.result;
  await new Promise((r) => setImmediate(r));
  assert.equal(result.status, 'stopped', result.message);
  assert.equal(manager.isRunning(uri), false);
  await fsp.access(path.join(result.runDir, 'model.safetensors'));

  const types = messages.map((m) => m.type);
  // The panel hears of the run at once, before its data is read, then that it started.
  assert.deepEqual(types.slice(0, 2), ['training/starting', 'training/started']);
  assert.ok(types.includes('training/metrics'));
  assert.ok(types.includes('training/grid'), '2-D classifier: boundary grids are relayed');
  assert.equal(types[types.length - 1], 'training/result');
  const grid = messages.find((m) => m.type === 'training/grid');
  assert.ok(grid && grid.type === 'training/grid' && Array.isArray((grid.grid as { values: number[] }).values), 'grids are sent as plain arrays');
  assert.ok(
    recorded.progress.some((p) => /step \d+\/3000/.test(p.message ?? '')),
    JSON.stringify(recorded.progress.slice(0, 2)),
  );
  const state = manager.stateMessage(uri);
  assert.equal(state.type === 'training/state' && state.result?.status, 'stopped');
  manager.dispose();
  await fsp.rm(dir, { recursive: true, force: true });
});

test('RunManager: two Train requests at the same moment start one run, and the second asks first', async () => {
  const dir = await tempDir('manager2');
  const file = await writeSpiralNetDoc(dir, 'flower', { epochs: 2_000_000 });
  const uri = Uri.file(file) as never;
  const manager = new RunManager({ outDir: () => path.join(dir, 'runs') });
  recorded.warnings.length = 0;
  recorded.warningAnswer = undefined;
  // A double click: neither request waits for the other.
  const [a, b] = await Promise.all([manager.start(uri, undefined), manager.start(uri, undefined)]);
  assert.ok(a !== undefined, 'the first request starts a run');
  assert.equal(b, undefined, 'the second is declined');
  assert.equal(recorded.warnings.length, 1, 'the second request asked');
  assert.equal((await fsp.readdir(path.join(dir, 'runs', 'flower'))).length, 1, 'one run folder');
  manager.stop(uri);
  assert.equal((await a!.result).status, 'stopped');
  manager.dispose();
});

test('RunManager: a resumed run brings its earlier curve to the panel', async () => {
  const dir = await tempDir('manager3');
  const file = await writeSpiralNetDoc(dir, 'flower', { epochs: 1_000_000, logEvery: 1000 });
  const uri = Uri.file(file) as never;
  const manager = new RunManager({ outDir: () => path.join(dir, 'runs') });
  const first = (await manager.start(uri, undefined))!;
  await new Promise<void>((resolve) => first.on('metrics', (r) => r.step >= 5000 && resolve()));
  manager.stop(uri);
  const stopped = await first.result;
  const messages: HostToPanel[] = [];
  const sub = manager.subscribe(uri, (m) => messages.push(m));
  const resumed = (await manager.start(uri, undefined, first.runDir))!;
  await new Promise<void>((resolve) => resumed.once('metrics', () => resolve()));
  const started = messages.find((m) => m.type === 'training/started');
  assert.ok(started?.type === 'training/started');
  assert.equal(started.info.startStep, stopped.step);
  assert.ok(started.info.history.length >= 5 && started.info.history.every((r) => r.step <= stopped.step), `${started.info.history.length} records`);
  const state = manager.stateMessage(uri);
  assert.ok(state.type === 'training/state' && state.history[0].step === started.info.history[0].step, 'a panel opened now gets the whole curve');
  manager.stop(uri);
  await resumed.result;
  sub.dispose();
  manager.dispose();
});
