/**
 * Training from the editor in headless Chromium: the webview's training panel drives real runs on a worker
 * thread (trainingBridge.ts runs the extension's own training host over a fake `vscode`). Start a run, see
 * the loss chart and decision boundary update, press Stop, and find the
 * run folder on disk with everything learned so far.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSafetensors } from '../../engine/io';
import { openEditor, sent } from './hostPage';
import { attachTrainingBridge } from './trainingBridge';
import { SHOTS, useTrainingPage } from './trainingPage';

const t = useTrainingPage('train-e2e', { width: 1400, height: 900 });

const points = async (title: string) => Number(await t.page.getByTestId(`chart-${title}`).getAttribute('data-points'));

test('start a run from the training panel, watch the chart and boundary update, stop it, find the run folder', async () => {
  // The shipped spiral classifier, with enough epochs that the run is still going when Stop is pressed.
  const doc = JSON.parse(readFileSync(join(__dirname, '../../examples/flower.nnb.json'), 'utf8'));
  doc.training.epochs = 2_000_000;
  const { page, work, pageErrors } = t;
  const modelPath = join(work, 'flower.nnb.json');
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  writeFileSync(modelPath, text);
  const bridge = (t.bridge = await attachTrainingBridge(page, modelPath));

  await openEditor(page, text, 'dark', 'flower.nnb.json');
  await page.getByTestId('tab-training').click();
  const train = page.getByTestId('train-button');
  await train.waitFor();
  assert.equal(await train.isDisabled(), false, `Train is disabled: ${await train.getAttribute('title')}`);
  await train.click();

  // The chart fills in as metrics arrive.
  await page.getByTestId('chart-loss').waitFor({ timeout: 60000 });
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=chart-loss]')?.getAttribute('data-points')) >= 5, undefined, {
    timeout: 60000,
  });
  const before = await points('loss');
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid=chart-loss]')?.getAttribute('data-points')) > n + 3, before, {
    timeout: 60000,
  });
  assert.ok((await page.locator('[data-testid=chart-loss] canvas').count()) > 0, 'uPlot draws the loss chart on a canvas');
  assert.ok((await points('accuracy')) > 0, 'a classifier also gets an accuracy chart');

  // The decision boundary refreshes during the run.
  const boundary = page.getByTestId('boundary-canvas');
  await boundary.waitFor({ timeout: 60000 });
  const firstStep = Number(await boundary.getAttribute('data-step'));
  await page.waitForFunction((s) => Number(document.querySelector('[data-testid=boundary-canvas]')?.getAttribute('data-step')) > s, firstStep, {
    timeout: 60000,
  });

  assert.match(await page.getByTestId('training-stats').innerText(), /step \d+\/\d+[\s\S]*steps\/s[\s\S]*elapsed[\s\S]*remaining/);
  await page.screenshot({ path: join(SHOTS, 'training-running.png') });

  await page.getByTestId('stop-button').click();
  const result = page.getByTestId('training-result');
  await result.waitFor({ timeout: 60000 });
  assert.equal(await result.getAttribute('data-status'), 'stopped');
  await page.screenshot({ path: join(SHOTS, 'training-stopped.png') });

  // The messages the panel sent are the protocol's.
  const kinds = (await sent(page)).map((m) => m.type).filter((t): t is string => typeof t === 'string' && t.startsWith('training/'));
  assert.ok(kinds.includes('training/start') && kinds.includes('training/stop'), kinds.join(', '));

  // The run folder holds what was learned before Stop.
  assert.equal(bridge.results.length, 1);
  const runDir = bridge.results[0].runDir;
  assert.ok(runDir.startsWith(join(work, 'runs', 'flower')), runDir);
  for (const f of ['config.json', 'metrics.jsonl', 'model.safetensors']) assert.ok(existsSync(join(runDir, f)), `${f} in ${runDir}`);
  const checkpoints = readdirSync(join(runDir, 'checkpoints'));
  assert.ok(
    checkpoints.some((c) => /^step-\d+\.safetensors$/.test(c)),
    checkpoints.join(', '),
  );
  assert.ok(readdirSync(join(runDir, 'plots')).length >= 1);
  const lines = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n');
  assert.ok(lines.length >= 5, `${lines.length} metrics lines`);
  const weights = loadSafetensors(join(runDir, 'model.safetensors'));
  assert.deepEqual(Object.keys(weights.tensors).sort(), ['0.bias', '0.weight', '2.bias', '2.weight']);
  assert.deepEqual(pageErrors, []);
});
