/**
 * Typing into the training form as fast typists and paste do (0-30 ms per key), against a host that
 * reports each edit's document late, labelled with the page's newer edit (as VS Code can deliver a change
 * event after the next edit has started): every character typed arrives, in order, in the field and in
 * the document, and Train stays off while a field holds text that is not a valid value.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../helpers/poll';
import { useEditorPage } from './canvasPage';
import { hostText, openEditor } from './hostPage';
import type { Page } from 'playwright-core';

let page: Page;
let problems: string[];
useEditorPage((e) => ({ page, problems } = e));

const MODEL = JSON.stringify({
  format: 'nnblocks.model/1',
  name: 'points',
  input: { shape: [2] },
  model: { id: 'net', op: 'Sequential', children: [{ id: 'fc', op: 'Linear', args: { inFeatures: 2, outFeatures: 1 } }] },
  training: { data: { kind: 'builtin', name: 'spiral' }, loss: 'BCEWithLogitsLoss', optimizer: { type: 'SGD', lr: 0.1 }, epochs: 5 },
});

const section = async () =>
  JSON.parse(await hostText(page)).training as { data: Record<string, unknown>; optimizer: Record<string, unknown>; epochs: number };

async function openTraining(echoDelayMs: number): Promise<void> {
  await page.addInitScript((ms) => ((window as unknown as { __echoDelayMs: number }).__echoDelayMs = ms), echoDelayMs);
  await openEditor(page, MODEL, 'dark', 'points.nnb.json');
  await page.getByTestId('tab-training').click();
  await page.getByTestId('lr').waitFor();
}

/** Selects the field's text and types `text` over it with `delay` ms between keys. */
async function overtype(testId: string, text: string, delay: number): Promise<void> {
  const field = page.getByTestId(testId);
  await field.click();
  await field.press('Control+a');
  await field.pressSequentially(text, { delay });
}

test('fast typing and paste keep every character, in the field and in the document, with late echoes', async () => {
  await openTraining(40);
  await page.getByTestId('data-kind').selectOption('csv');
  await waitFor('a CSV section', async () => (await section()).data.kind === 'csv');
  for (const delay of [0, 10, 30]) {
    const path = `data/bad${delay}.csv`;
    await overtype('data-path', path, delay);
    assert.equal(await page.getByTestId('data-path').inputValue(), path, `typed at ${delay} ms per key`);
    await waitFor(`the document's path ${path}`, async () => (await section()).data.path === path);
    // The late echoes have all arrived by now: the field still shows what was typed.
    assert.equal(await page.getByTestId('data-path').inputValue(), path);
  }
  for (const delay of [0, 30]) {
    const epochs = delay === 0 ? '12345' : '678';
    await overtype('epochs', epochs, delay);
    await waitFor(`epochs ${epochs}`, async () => (await section()).epochs === Number(epochs));
    assert.equal(await page.getByTestId('epochs').inputValue(), epochs);
  }
  // Paste: one input event with the whole text, then keys typed right after it.
  await page.getByTestId('lr').click();
  await page.getByTestId('lr').press('Control+a');
  await page.keyboard.insertText('0.00');
  await page.getByTestId('lr').pressSequentially('25', { delay: 0 });
  await waitFor('lr 0.0025', async () => (await section()).optimizer.lr === 0.0025);
  assert.equal(await page.getByTestId('lr').inputValue(), '0.0025');
  assert.deepEqual(problems, []);
});

test('Train is off while a field holds an invalid value, and the field keeps it with the reason', async () => {
  await openTraining(40);
  const train = page.getByTestId('train-button');
  await waitFor('Train enabled', async () => !(await train.isDisabled()));
  await overtype('lr', '1e6', 0);
  await waitFor('lr 1e6', async () => (await section()).optimizer.lr === 1e6);
  assert.equal(await page.getByTestId('lr').inputValue(), '1e6');
  // "0" is not a learning rate: the document keeps 1e6, and a run now would train with it.
  await overtype('lr', '0', 0);
  await page.locator('[data-testid=lr][aria-invalid=true]').waitFor();
  await waitFor('Train disabled', () => train.isDisabled());
  assert.match(await page.getByTestId('training-problems').innerText(), /Learning rate: more than 0: fix the field/);
  // Leaving the field keeps the invalid text in sight; Train stays off.
  await page.getByTestId('epochs').click();
  assert.equal(await page.getByTestId('lr').inputValue(), '0');
  assert.equal(await train.isDisabled(), true);
  assert.equal((await section()).optimizer.lr, 1e6);
  await overtype('lr', '0.5', 10);
  await waitFor('Train enabled again', async () => !(await train.isDisabled()));
  assert.equal((await section()).optimizer.lr, 0.5);
  assert.deepEqual(problems, []);
});
