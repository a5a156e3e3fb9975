/**
 * The training panel's settings as a user edits them, in headless Chromium with the extension's own
 * training host (trainingBridge.ts): a CSV of the workspace previews by itself with its columns, the
 * column pickers and the loss are checked against the model with messages that say what to change (a
 * bad value names its line and column), numbers can be retyped keystroke by keystroke, and the finished
 * runs can be evaluated (confusion matrix), used to predict rows of the CSV (engine and onnxruntime side
 * by side) and compared.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { waitFor } from '../helpers/poll';
import { openEditor, hostText } from './hostPage';
import { attachTrainingBridge } from './trainingBridge';
import { SHOTS, useTrainingPage } from './trainingPage';

const t = useTrainingPage('train-form', { width: 1400, height: 1000 });

/** Rows of id, x1, x2, label: two separable clusters, and `bad` text at a data row if asked. */
function writePoints(file: string, bad?: { row: number; text: string }): void {
  const lines = ['id,x1,x2,label'];
  for (let i = 0; i < 40; i++) {
    const c = i % 2;
    lines.push(`${i},${(c ? 1 : -1) + Math.sin(i) * 0.3},${(c ? -1 : 1) + Math.cos(i) * 0.3},${c}`);
  }
  if (bad) lines[bad.row] = `${bad.row},${bad.text},0.5,1`;
  writeFileSync(file, lines.join('\n') + '\n');
}

const section = async () =>
  JSON.parse(await hostText(t.page)).training as Record<string, unknown> & { optimizer: Record<string, unknown>; data: Record<string, unknown> };
// allInnerTexts does not wait: the list may vanish between a count and a read.
const problems = async () => (await t.page.getByTestId('training-problems').allInnerTexts()).join('\n');
/** A timed-out wait on the form says which problems the panel listed. */
const showProblems = { explain: async () => `problems: ${await problems()}` };
/** Clears a field and types `text` one key at a time, as a user does. */
async function retype(testId: string, text: string): Promise<void> {
  const field = t.page.getByTestId(testId);
  await field.click();
  await field.press('Control+a');
  await field.press('Backspace');
  await field.pressSequentially(text);
}

/** Selects a field's text and types `text` over it (no empty step in between, which removes an optional field). */
async function overtype(testId: string, text: string): Promise<void> {
  const field = t.page.getByTestId(testId);
  await field.click();
  await field.press('Control+a');
  await field.pressSequentially(text);
}

test('edit every kind of setting, see the CSV and its problems, train, evaluate, predict rows, compare', async () => {
  const { page, work, pageErrors } = t;
  writePoints(join(work, 'points.csv'));
  writePoints(join(work, 'bad.csv'), { row: 4, text: 'abc' });
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
      optimizer: { type: 'SGD', lr: 1 },
      epochs: 50,
      seed: 0,
    },
  };
  const modelPath = join(work, 'points.nnb.json');
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  writeFileSync(modelPath, text);
  const bridge = (t.bridge = await attachTrainingBridge(page, modelPath));
  await openEditor(page, text, 'dark', 'points.nnb.json');
  await page.getByTestId('tab-training').click();

  // The CSV the section names previews on its own, and its three non-label columns are too many for [2].
  await page.getByTestId('csv-preview-table').waitFor({ timeout: 15000 });
  assert.deepEqual(await page.locator('[data-testid=csv-preview-table] th').allInnerTexts(), ['id', 'x1', 'x2', 'label']);
  await waitFor(
    'the feature-count problem',
    async () => /3 feature value\(s\) per sample but the model's input is \[2\].*pick 2 feature column/.test(await problems()),
    showProblems,
  );
  assert.equal(await page.getByTestId('train-button').isDisabled(), true);
  await page.getByTestId('csv-feature-id').uncheck();
  await waitFor('features x1, x2 in the document', async () => isDeepStrictEqual((await section()).data.features, ['x1', 'x2']), showProblems);
  await waitFor('no problems', async () => (await problems()) === '', showProblems);

  // Numbers are typed key by key: "0", "0.", "0.0" are not learning rates yet and must not snap back.
  await retype('lr', '0.05');
  await waitFor('lr 0.05', async () => (await section()).optimizer.lr === 0.05, showProblems);
  assert.equal(await page.getByTestId('lr').inputValue(), '0.05');
  await retype('epochs', '200');
  await waitFor('epochs 200', async () => (await section()).epochs === 200, showProblems);
  await retype('batch-size', '16');
  await waitFor('batch size 16', async () => (await section()).batchSize === 16, showProblems);
  await page.getByTestId('momentum').pressSequentially('0.9');
  await page.getByTestId('nesterov').check();
  await waitFor(
    'momentum and nesterov',
    async () => (await section()).optimizer.momentum === 0.9 && (await section()).optimizer.nesterov === true,
    showProblems,
  );
  await page.getByTestId('schedule').selectOption('StepLR');
  await retype('step-size', '50');
  await waitFor(
    'StepLR every 50 epochs',
    async () => isDeepStrictEqual((await section()).schedule, { type: 'StepLR', stepSize: 50, gamma: 0.1 }),
    showProblems,
  );
  await page.getByTestId('validation-split').pressSequentially('0.25');
  await waitFor('validation split', async () => (await section()).validationSplit === 0.25, showProblems);
  // The form's limits are the grammar's (SECTION_FIELDS): a split of 1 is refused in the field, with the
  // reason, and never reaches the document; the same for a beta of 1 (the optimizer table's limit).
  await overtype('validation-split', '1');
  await page.locator('[data-testid=validation-split][aria-invalid=true]').waitFor();
  assert.match(await page.locator('label', { has: page.getByTestId('validation-split') }).innerText(), /Validation split \(at most 0\.9\)/);
  assert.equal((await section()).validationSplit, 0.25);
  await retype('validation-split', '0.25');
  await page.locator('[data-testid=validation-split][aria-invalid=false]').waitFor();
  await page.getByTestId('optimizer').selectOption('Adamax');
  await waitFor(
    'Adamax keeps the learning rate',
    async () => isDeepStrictEqual((await section()).optimizer, { type: 'Adamax', lr: 0.05 }),
    showProblems,
  );
  await overtype('betas-2', '1');
  await page.locator('[data-testid=betas-2][aria-invalid=true]').waitFor();
  assert.match(await page.locator('label', { has: page.getByTestId('betas-2') }).innerText(), /Beta 2 \(less than 1\)/);
  await page.getByTestId('optimizer').selectOption('SGD');
  await waitFor('back to SGD', async () => isDeepStrictEqual((await section()).optimizer, { type: 'SGD', lr: 0.05 }), showProblems);
  await page.getByTestId('momentum').pressSequentially('0.9');
  await page.getByTestId('nesterov').check();
  await waitFor(
    'momentum and nesterov again',
    async () => (await section()).optimizer.momentum === 0.9 && (await section()).optimizer.nesterov === true,
    showProblems,
  );
  await page.getByTestId('checkpoint-every').pressSequentially('100');
  await waitFor('checkpoint interval', async () => (await section()).checkpointEvery === 100, showProblems);

  // A loss that does not fit the model says what to change, and Train waits for it.
  await page.getByTestId('loss').selectOption('CrossEntropyLoss');
  await waitFor(
    'the CrossEntropyLoss problem',
    async () => /CrossEntropyLoss needs one output per class, but the model outputs 1/.test(await problems()),
    showProblems,
  );
  assert.equal(await page.getByTestId('train-button').isDisabled(), true);
  await page.getByTestId('loss').selectOption('BCEWithLogitsLoss');

  // A bad value in the first rows of another file is named by line and column before any run.
  await retype('data-path', 'bad.csv');
  await waitFor('the bad value', async () => /bad\.csv:5: column "x1" is "abc", not a number/.test(await problems()), showProblems);
  await retype('data-path', 'points.csv');
  await waitFor('no problems again', async () => (await problems()) === '', showProblems);
  assert.equal(await page.getByTestId('notice').count(), 0, 'no edit was refused by the document');
  await page.screenshot({ path: join(SHOTS, 'training-form.png') });

  // Train twice (the second for a comparison), each to the end.
  for (let i = 1; i <= 2; i++) {
    await page.getByTestId('train-button').click();
    await waitFor(`run ${i} to finish`, async () => bridge.results.length === i, { ...showProblems, timeoutMs: 60000 });
    assert.equal(bridge.results[i - 1].status, 'completed', bridge.results[i - 1].message);
  }
  await page.getByTestId('training-result').waitFor();
  const [first, second] = bridge.results.map((r) => r.runDir.split('/').pop()!);
  await page.getByTestId(`run-${first}`).waitFor();
  await page.getByTestId(`run-${second}`).waitFor();

  // Evaluate: the validation split, with a confusion matrix.
  await page.getByTestId(`run-${first}`).getByRole('button', { name: 'Evaluate' }).click();
  await page.getByTestId('confusion-matrix').waitFor();
  assert.match(await page.getByTestId('training-evaluation').innerText(), /validation split \(10 samples\): loss \d\.\d{4} · accuracy \d\.\d{4}/);

  // Predict rows of the run's CSV: its labels beside the engine's and onnxruntime's outputs.
  await page.getByTestId(`run-${first}`).getByRole('radio').check();
  await page.getByTestId('predict-rows').fill('1-3, 8');
  await page.getByTestId('predict-rows-button').click();
  await page.getByTestId('training-prediction').waitFor();
  const cells = await page
    .locator('[data-testid=training-prediction] tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
  assert.deepEqual(
    cells.map((c) => c[0]),
    ['1', '2', '3', '8'],
  );
  assert.deepEqual(
    cells.map((c) => c[2]),
    ['0', '1', '0', '1'],
    'the labels of rows 1-3 and 8',
  );
  for (const c of cells) assert.ok(Math.abs(Number(c[3]) - Number(c[4])) < 1e-4, `engine ${c[3]} vs onnxruntime ${c[4]}`);

  // Typed input is checked as it is typed: a value that is not a number names itself and keeps Predict off.
  await page.getByTestId('predict-input').fill('0.5, 1; 2, abc');
  assert.equal(await page.getByTestId('predict-input-error').innerText(), "'abc' (sample 2, value 2) is not a number");
  assert.equal(await page.getByTestId('predict-button').isDisabled(), true);
  await page.getByTestId('predict-input').fill('0.5, 1; 2, 3');
  assert.equal(await page.getByTestId('predict-input-error').count(), 0);
  assert.equal(await page.getByTestId('predict-button').isDisabled(), false);

  // Compare the two runs' curves.
  await page.getByTestId(`compare-${second}`).click();
  await page.getByTestId('compare-note').waitFor();
  assert.match(await page.getByTestId('compare-note').innerText(), new RegExp(`solid: run ${first} · dashed: run ${second}`));
  await page.screenshot({ path: join(SHOTS, 'training-after.png'), fullPage: true });
  assert.deepEqual(pageErrors, []);
});
