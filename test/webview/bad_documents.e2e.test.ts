// The editor on issue 15's documents, in headless Chromium: a model the analysis refuses opens with its
// problems listed (a Block named "constructor", a merge in a chain, ids named after Object.prototype
// members), a model nested 5,000 deep opens to the error view naming the limit, and no page error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { nodeOn, useEditorPage } from './canvasPage';
import { openEditor } from './hostPage';

let page: Page;
let problems: string[];
useEditorPage((e) => ({ page, problems } = e));

const model = (m: unknown, extra: object = {}) =>
  JSON.stringify({ format: 'nnblocks.model/1', name: 'm', input: { shape: [4] }, model: m, ...extra }, null, 2);

test('refused models open with their problems listed on the canvas', async () => {
  const text = model(
    {
      id: 'net',
      op: 'Sequential',
      children: [
        { id: 'constructor', op: 'Linear', args: { inFeatures: 4, outFeatures: 4 } },
        { id: 'b1', op: 'Block', block: 'toString' },
        { id: 'sum', op: 'add' },
      ],
    },
    { blocks: { real: { body: { id: 'r', op: 'ReLU' } } } },
  );
  await openEditor(page, text, 'dark', 'bad.nnb.json');
  await nodeOn(page, 'constructor').waitFor();
  const list = page.getByTestId('problems');
  await page.waitForFunction(() => /no block named/.test(document.querySelector('[data-testid=problems]')?.textContent ?? ''));
  const shown = await list.innerText();
  assert.match(shown, /there is no block named "toString"/);
  assert.match(shown, /add is a merge of several tensors: it works only as a node of a Graph/);
  assert.match(await nodeOn(page, 'constructor').innerText(), /Linear[\s\S]*4 → 4/);
  assert.deepEqual(problems, []);
});

test('a model nested 5,000 deep opens to the error view naming the nesting limit', async () => {
  const deep = `{"format":"nnblocks.model/1","name":"m","input":{"shape":[4]},"model":${'{"id":"s","op":"Sequential","children":['.repeat(5000)}{"id":"r","op":"ReLU"}${']}'.repeat(5000)}}`;
  await openEditor(page, deep, 'dark', 'deep.nnb.json');
  const view = page.getByTestId('error-view');
  await view.waitFor();
  assert.match(await view.innerText(), /nodes nest more than 32 levels deep/);
  assert.deepEqual(problems, []);
});

test('a new block may be named constructor: the name prompt asks for an own block of that name', async () => {
  // A document with a blocks object: its prototype's "constructor" must not count as a block.
  await openEditor(
    page,
    model(
      { id: 'net', op: 'Sequential', children: [{ id: 'fc', op: 'Linear', args: { inFeatures: 4, outFeatures: 2 } }] },
      { blocks: { other: { body: { id: 'o', op: 'ReLU' } } } },
    ),
  );
  await nodeOn(page, 'fc').click({ button: 'right' });
  await page.getByRole('menuitem', { name: /Make Reusable Block/ }).click();
  await page.getByTestId('prompt-input').fill('constructor');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => (window as unknown as { __text: string }).__text.includes('"block": "constructor"'));
  assert.deepEqual(problems, []);
});

test("the canvas warns about a model's size at the host's setting, as the Problems panel does", async () => {
  await openEditor(page, model({ id: 'fc', op: 'Linear', args: { inFeatures: 4, outFeatures: 250 } }));
  const list = page.getByTestId('problems');
  assert.doesNotMatch(await list.innerText(), /parameters: its weights alone take/, 'no warning at the default 100 million');
  await page.evaluate(() => window.postMessage({ type: 'settings', warnParams: 1000 }, '*'));
  await page.waitForFunction(() => /the model has 1,250 parameters/.test(document.querySelector('[data-testid=problems]')?.textContent ?? ''));
  await page.evaluate(() => window.postMessage({ type: 'settings', warnParams: null }, '*'));
  await page.waitForFunction(() => !/the model has 1,250 parameters/.test(document.querySelector('[data-testid=problems]')?.textContent ?? ''));
  assert.deepEqual(problems, []);
});
