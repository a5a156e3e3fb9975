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
import { tempDir, sequentialDoc, writeDoc, spiralLayers } from './helpers';
import type { HostToPanel } from '../../webview/training/protocol';

installFakeVscode();
// Loaded after the fake is in place.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { RunManager } = require('../../extension/training/run_manager') as typeof import('../../extension/training/run_manager');

test('RunManager: one run per model, progress, relay to panels, Cancel stops', async () => {
  const dir = await tempDir('manager');
  const file = await writeDoc(
    dir,
    'spiral.nnb.json',
    sequentialDoc('spiral', [2], spiralLayers, { data: { kind: 'builtin', name: 'spiral' }, loss: 'BCEWithLogitsLoss', optimizer: { type: 'SGD', lr: 1 }, epochs: 3000 }),
  );
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
  assert.match(recorded.warnings[0], /A training run of spiral.nnb.json is in progress/);
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
  assert.equal(types[0], 'training/started');
  assert.ok(types.includes('training/metrics'));
  assert.ok(types.includes('training/grid'), '2-D classifier: boundary grids are relayed');
  assert.equal(types[types.length - 1], 'training/result');
  const grid = messages.find((m) => m.type === 'training/grid');
  assert.ok(grid && grid.type === 'training/grid' && Array.isArray((grid.grid as { values: number[] }).values), 'grids are sent as plain arrays');
  assert.ok(recorded.progress.some((p) => /step \d+\/3000/.test(p.message ?? '')), JSON.stringify(recorded.progress.slice(0, 2)));
  const state = manager.stateMessage(uri);
  assert.equal(state.type === 'training/state' && state.result?.status, 'stopped');
  manager.dispose();
  await fsp.rm(dir, { recursive: true, force: true });
});
