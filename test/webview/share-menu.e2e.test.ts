/**
 * Share Weights With... in the node's context menu (issue 14.2): the layers that fit are offered, those
 * that do not are greyed out with the reason and do nothing when clicked, and a layer another node is
 * tied to offers no tie that would move that node's tie.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { hostDoc, nodeOn, useEditorPage } from './canvasPage';
import { hostText, openEditor, sent } from './hostPage';

let page: Page;
let problems: string[];
useEditorPage((e) => ({ page, problems } = e));

const linear = (id: string, inFeatures: number, outFeatures: number) => ({ id, op: 'Linear', args: { inFeatures, outFeatures } });
const MODEL = JSON.stringify({
  format: 'nnblocks.model/1',
  name: 'ties',
  input: { shape: [4] },
  model: {
    id: 'net',
    op: 'Sequential',
    children: [
      linear('fc1', 4, 8),
      { id: 'r1', op: 'ReLU' },
      linear('a', 8, 8),
      { id: 'r2', op: 'ReLU' },
      linear('b', 8, 8),
      { id: 'r3', op: 'ReLU' },
      { id: 'a_tied', op: 'Shared', ref: 'a' },
      linear('out', 8, 1),
    ],
  },
});

async function shareMenu(id: string): Promise<void> {
  await nodeOn(page, id).click({ button: 'right' });
  await page.getByRole('menuitem', { name: /Share Weights With/ }).click();
}
const choice = (id: string) => page.getByRole('menuitem', { name: new RegExp(`^${id}\\s+\\(Linear`) });

test('only layers that fit can be picked; the others say why; a tie nobody touched never moves', async () => {
  await openEditor(page, MODEL, 'dark', 'ties.nnb.json');
  await shareMenu('b');
  assert.equal(await choice('a').getAttribute('aria-disabled'), null, 'a (8 -> 8) fits in place of b');
  assert.equal(await choice('fc1').getAttribute('aria-disabled'), 'true');
  assert.match(await choice('fc1').innerText(), /fc1 does not fit in place of b: .*expects 4 input features but receives 8/);
  assert.equal(await choice('out').getAttribute('aria-disabled'), 'true');
  const text = await hostText(page);
  await choice('fc1').click({ force: true });
  assert.equal((await sent(page, 'edit')).length, 0, 'a greyed-out choice sends no edit');
  assert.equal(await hostText(page), text);
  await choice('a').click();
  await page.waitForFunction(() => (window as unknown as { __text: string }).__text.includes('"id": "b",\n        "op": "Shared"'));

  // a is the original of a_tied (and now of b): every choice for a is greyed out, naming the ties.
  await shareMenu('a');
  for (const id of ['fc1', 'out']) {
    assert.equal(await choice(id).getAttribute('aria-disabled'), 'true');
    assert.match(await choice(id).innerText(), /b, a_tied share a's weights, and tying a to .* would change that tie too: untie b, a_tied first/);
  }
  await page.keyboard.press('Escape');
  const children = ((await hostDoc(page)).model as unknown as { children: { id: string; op: string; ref?: string }[] }).children;
  assert.deepEqual(
    children.filter((c) => c.op === 'Shared').map((c) => [c.id, c.ref]),
    [
      ['b', 'a'],
      ['a_tied', 'a'],
    ],
  );
  assert.deepEqual(problems, []);
});
