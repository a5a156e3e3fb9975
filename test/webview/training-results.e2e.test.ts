/**
 * What a finished run shows in the training panel (issue 14.8), with the extension's own training host:
 * chart legends name the step and give the latest values (never "Value: --"), a validation series only
 * when there is a validation split, the result message with the validation accuracy when there is one,
 * Predict for a classifier with the class probability and the class, and a side panel that nothing
 * overflows sideways (the decision boundary scales to it, the run folder's path wraps).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../helpers/poll';
import { openEditor } from './hostPage';
import { attachTrainingBridge } from './trainingBridge';
import { SHOTS, useTrainingPage } from './trainingPage';

// A narrow window: the side panel is at its narrowest beside the canvas.
const t = useTrainingPage('train-results', { width: 900, height: 1000 });

function writePoints(file: string): void {
  const lines = ['x1,x2,label'];
  for (let i = 0; i < 40; i++) {
    const c = i % 2;
    lines.push(`${(c ? 1 : -1) + Math.sin(i) * 0.3},${(c ? -1 : 1) + Math.cos(i) * 0.3},${c}`);
  }
  writeFileSync(file, lines.join('\n') + '\n');
}

const legend = (title: string) => t.page.locator(`[data-testid=chart-${title}] .u-legend`).innerText();

test('legends, validation series and message, classifier predictions, and no sideways overflow', async () => {
  const { page, work, pageErrors } = t;
  writePoints(join(work, 'points.csv'));
  const doc = {
    format: 'nnblocks.model/1',
    name: 'points',
    input: { shape: [2] },
    model: {
      id: 'net',
      op: 'Sequential',
      children: [
        { id: 'fc1', op: 'Linear', args: { inFeatures: 2, outFeatures: 4 } },
        { id: 't', op: 'Tanh' },
        { id: 'fc2', op: 'Linear', args: { inFeatures: 4, outFeatures: 1 } },
      ],
    },
    training: {
      data: { kind: 'csv', path: 'points.csv', label: 'label' },
      loss: 'BCEWithLogitsLoss',
      optimizer: { type: 'SGD', lr: 0.5 },
      epochs: 30,
      seed: 0,
    },
  };
  const modelPath = join(work, 'points.nnb.json');
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  writeFileSync(modelPath, text);
  const bridge = (t.bridge = await attachTrainingBridge(page, modelPath));
  await openEditor(page, text, 'dark', 'points.nnb.json');
  await page.getByTestId('tab-training').click();
  const train = page.getByTestId('train-button');
  await waitFor('Train enabled', async () => (await train.count()) === 1 && !(await train.isDisabled()));

  // No validation split: no val series, and the legend reads the step and the latest loss.
  await train.click();
  await waitFor('run 1 to finish', async () => bridge.results.length === 1, { timeoutMs: 60000 });
  assert.equal(bridge.results[0].status, 'completed', bridge.results[0].message);
  await page.getByTestId('training-result').waitFor();
  await waitFor('the loss legend', async () => /loss/.test(await legend('loss')));
  for (const title of ['loss', 'accuracy']) {
    const l = await legend(title);
    assert.doesNotMatch(l, /Value|--|val /, `${title} legend: ${l}`);
    assert.match(l, /step\s*:?\s*\d+/, `${title} legend: ${l}`);
  }
  assert.match(await legend('loss'), /loss\s*:?\s*\d\.\d+/);
  assert.doesNotMatch(bridge.results[0].message, /validation/);

  // A validation split: its series appear, and the message gives its accuracy.
  await page.getByTestId('training-settings').click();
  await page.getByTestId('validation-split').fill('0.25');
  await page.getByTestId('validation-split').blur();
  await waitFor('Train enabled again', async () => (await train.count()) === 1 && !(await train.isDisabled()));
  await train.click();
  await waitFor('run 2 to finish', async () => bridge.results.length === 2, { timeoutMs: 60000 });
  assert.equal(bridge.results[1].status, 'completed', bridge.results[1].message);
  assert.match(bridge.results[1].message, /training accuracy \d\.\d{4}, validation accuracy \d\.\d{4}/);
  await waitFor('the validation message shown', async () =>
    /validation accuracy \d\.\d{4}/.test(await page.getByTestId('training-result').innerText()),
  );
  await waitFor('the val loss series', async () => /val loss/.test(await legend('loss')));
  assert.match(await legend('accuracy'), /val accuracy/);

  // Predict: the raw output, the probability of class 1 (a sigmoid of it) and the class.
  const stamp = bridge.results[1].runDir.split('/').pop()!;
  await page.getByTestId(`run-${stamp}`).getByRole('radio').check();
  await page.getByTestId('predict-input').fill('1, -1; -1, 1');
  await page.getByTestId('predict-button').click();
  await page.getByTestId('training-prediction').waitFor();
  const rows = await page
    .locator('[data-testid=training-prediction] tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
  assert.equal(rows.length, 2);
  for (const r of rows) {
    const logit = Number(r[2]);
    const p = Number(r[4]);
    assert.ok(Math.abs(p - 1 / (1 + Math.exp(-logit))) < 1e-3, `P ${p} is the sigmoid of ${logit}`);
    assert.equal(r[5], p >= 0.5 ? '1' : '0');
  }
  assert.deepEqual(
    rows.map((r) => r[5]),
    ['1', '0'],
    'the two clusters are told apart',
  );

  // Nothing in the side panel is wider than the panel.
  const overflow = await page.evaluate(() => {
    const side = document.querySelector('.nnb-side') as HTMLElement;
    const canvas = document.querySelector('[data-testid=boundary-canvas]') as HTMLElement;
    const path = document.querySelector('.nnb-path') as HTMLElement;
    const right = side.getBoundingClientRect().left + side.clientWidth;
    const wide = [...side.querySelectorAll<HTMLElement>('*')]
      .filter((e) => e.getBoundingClientRect().right > right + 0.5)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
    return {
      side: side.scrollWidth - side.clientWidth,
      wide: wide.slice(0, 5).join(', '),
      canvas: canvas.getBoundingClientRect().right - right,
      path: path.scrollWidth - path.clientWidth,
    };
  });
  assert.ok(overflow.side <= 0, `the side panel scrolls sideways by ${overflow.side} px: ${overflow.wide}`);
  assert.ok(overflow.canvas <= 0, `the boundary canvas sticks out by ${overflow.canvas} px`);
  assert.ok(overflow.path <= 0, `the run path is clipped by ${overflow.path} px`);
  await page.screenshot({ path: join(SHOTS, 'training-results.png'), fullPage: true });
  assert.deepEqual(pageErrors, []);
});
