/**
 * Building an MLP by mouse (issue 14.3): layers dragged from the palette to the bottom of the canvas, one
 * after the other, each take their input size from where they land (Linear's inFeatures from what flows
 * there), so the model has no shape error at any step, and the view follows the chain: every new node is
 * on the canvas, not below its edge.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { hostDoc, nodeOn, SHOTS, useEditorPage } from './canvasPage';
import { openEditor } from './hostPage';
import { waitFor } from '../helpers/poll';

let page: Page;
let problems: string[];
useEditorPage((e) => ({ page, problems } = e));

const EMPTY = JSON.stringify({
  format: 'nnblocks.model/1',
  name: 'mlp',
  input: { shape: [784] },
  model: { id: 'net', op: 'Sequential', children: [{ id: 'flat', op: 'Flatten' }] },
});

type Child = { id: string; op: string; args?: Record<string, number> };

/** Drags a palette item to the canvas, just above its bottom edge (the end of the chain). */
async function dropAtBottom(op: string): Promise<void> {
  const canvas = await page.getByTestId('canvas').boundingBox();
  assert.ok(canvas);
  await page.getByTestId(`palette-${op}`).dragTo(page.getByTestId('canvas'), { targetPosition: { x: canvas.width / 2, y: canvas.height - 30 } });
}

test('Linear, ReLU, Linear, ... dropped one after another fit the chain and stay in view', async () => {
  await page.setViewportSize({ width: 1280, height: 560 });
  await openEditor(page, EMPTY, 'dark', 'mlp.nnb.json');
  const ops = ['Linear', 'ReLU', 'Linear', 'ReLU', 'Linear', 'ReLU', 'Linear'];
  for (const [i, op] of ops.entries()) {
    await dropAtBottom(op);
    await waitFor(
      `${op} number ${i + 1} in the document`,
      async () => ((await hostDoc(page)).model as unknown as { children: Child[] }).children.length === i + 2,
    );
    const children = ((await hostDoc(page)).model as unknown as { children: Child[] }).children;
    const added = children[i + 1];
    assert.equal(added.op, op, `the drop went to the end of the chain: ${children.map((c) => c.op).join(', ')}`);
    if (op === 'Linear') {
      const prevLinear = children
        .slice(0, i + 1)
        .reverse()
        .find((c) => c.op === 'Linear');
      assert.equal(added.args?.inFeatures, prevLinear?.args?.outFeatures ?? 784, `${added.id} takes what flows into it`);
    }
    await nodeOn(page, added.id).waitFor();
    assert.equal(await page.locator('[data-testid=error-badge]').count(), 0, `no shape error after ${added.id}`);
    // The view follows: the new node's whole box ends up on the canvas.
    await waitFor(`${added.id} in view`, async () => {
      const canvas = await page.getByTestId('canvas').boundingBox();
      const box = await nodeOn(page, added.id).boundingBox();
      return (
        canvas !== null &&
        box !== null &&
        box.y >= canvas.y &&
        box.y + box.height <= canvas.y + canvas.height &&
        box.x >= canvas.x &&
        box.x + box.width <= canvas.x + canvas.width
      );
    });
  }
  assert.match(await page.getByTestId('problems').innerText(), /No problems/);
  await page.screenshot({ path: join(SHOTS, 'drop-chain.png') });
  assert.deepEqual(problems, []);
});
