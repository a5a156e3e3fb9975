/**
 * Block instances and tied nodes on the canvas (issue 14.8): an instance shows its own name (two
 * instances of one block read apart), its block in the summary, and neither a Block nor a Shared node is
 * drawn in the colour that marks errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { nodeOn, useEditorPage } from './canvasPage';
import { openEditor } from './hostPage';

let page: Page;
let problems: string[];
useEditorPage((e) => ({ page, problems } = e));

const MODEL = JSON.stringify({
  format: 'nnblocks.model/1',
  name: 'blocks',
  input: { shape: [4] },
  blocks: {
    mlp: {
      body: {
        id: 'mlp',
        op: 'Sequential',
        children: [
          { id: 'fc', op: 'Linear', args: { inFeatures: 4, outFeatures: 4 } },
          { id: 'act', op: 'ReLU' },
        ],
      },
    },
  },
  model: {
    id: 'net',
    op: 'Sequential',
    children: [
      { id: 'first', op: 'Block', block: 'mlp' },
      { id: 'second', op: 'Block', block: 'mlp' },
      { id: 'head', op: 'Linear', args: { inFeatures: 4, outFeatures: 4 } },
      { id: 'head_again', op: 'Shared', ref: 'head' },
    ],
  },
});

test('block instances show their own names, and Block and Shared nodes are not in the error colour', async () => {
  await openEditor(page, MODEL, 'dark', 'blocks.nnb.json');
  for (const id of ['first', 'second']) {
    assert.equal(await nodeOn(page, id).locator('.nnb-title').innerText(), id);
    assert.match(await nodeOn(page, id).innerText(), /block mlp/);
  }
  // (No named function inside evaluate: tsx would wrap it in a helper the page does not have.)
  const colours = await page.evaluate(() => {
    const probe = document.createElement('span');
    probe.style.color = 'var(--nnb-error)';
    document.body.append(probe);
    const error = getComputedStyle(probe).color;
    probe.remove();
    const [first, tied] = ['first', 'head_again'].map(
      (id) => getComputedStyle(document.querySelector(`[data-testid=node-${id}]`) as HTMLElement).borderLeftColor,
    );
    return { error, first, tied };
  });
  assert.notEqual(colours.first, colours.error, 'a Block node is not drawn in the error colour');
  assert.notEqual(colours.tied, colours.error, 'a Shared node is not drawn in the error colour');
  assert.equal(await page.locator('[data-testid=error-badge]').count(), 0);
  assert.deepEqual(problems, []);
});
