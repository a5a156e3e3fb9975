/**
 * A half-width editor (issue 14.4: the generated code opened beside the graph): at 500 px the canvas
 * keeps nearly the whole width with the model's nodes in sight, the minimap hides, the palette and the
 * inspector are rails whose buttons open them as overlays (a layer can still be dragged in, the
 * inspector still shows the selection), and the full layout comes back when the editor is wide again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { example, hostDoc, nodeOn, SHOTS, useEditorPage } from './canvasPage';
import { openEditor } from './hostPage';
import { waitFor } from '../helpers/poll';

let page: Page;
let problems: string[];
useEditorPage((e) => ({ page, problems } = e));

async function box(l: Locator) {
  const b = await l.boundingBox();
  assert.ok(b, 'not on screen');
  return b;
}

const inside = (a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }) =>
  a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height;

test('at 500 px the canvas keeps the width, the palette and inspector open as overlays, the minimap hides', async () => {
  await page.setViewportSize({ width: 500, height: 700 });
  await openEditor(page, example('mlp_28x28'), 'dark', 'mlp_28x28.nnb.json');
  const canvas = page.getByTestId('canvas');
  const c = await box(canvas);
  assert.ok(c.width >= 420, `the canvas is ${c.width} px wide of 500`);
  await waitFor('a node wholly on the canvas', async () => {
    const cb = await box(canvas);
    const nodes = await page.locator('.react-flow__node-layer').all();
    for (const n of nodes) {
      const b = await n.boundingBox();
      if (b !== null && inside(b, cb)) return true;
    }
    return false;
  });
  assert.equal(await page.locator('.react-flow__minimap').isVisible(), false, 'the minimap hides');
  assert.equal(await page.getByTestId('palette-search').count(), 0, 'the palette is a rail');
  await page.screenshot({ path: join(SHOTS, 'narrow-500.png') });

  // The palette opens over the canvas; a layer dragged from it lands in the chain and the overlay closes.
  await page.getByTestId('palette-toggle').click();
  const overlay = page.getByTestId('palette-overlay');
  await overlay.waitFor();
  const o = await box(overlay);
  const before = ((await hostDoc(page)).model as unknown as { children: unknown[] }).children.length;
  const fc1 = await box(nodeOn(page, 'fc1'));
  const dropX = Math.max(o.x + o.width + 20, fc1.x + fc1.width / 2) - c.x;
  await page.getByTestId('palette-ReLU').dragTo(canvas, { targetPosition: { x: Math.min(dropX, c.width - 10), y: c.height - 20 } });
  await waitFor(
    'the dropped ReLU in the document',
    async () => ((await hostDoc(page)).model as unknown as { children: unknown[] }).children.length === before + 1,
  );
  await overlay.waitFor({ state: 'detached' });

  // The inspector opens from its tab (or its rail) as an overlay and shows the selected node.
  await nodeOn(page, 'fc1').click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  await page.getByTestId('side-overlay').waitFor();
  assert.match(await page.getByTestId('inspector').innerText(), /Linear/);
  const s = await box(page.getByTestId('side-overlay'));
  assert.ok(s.x >= 0 && s.x + s.width <= 500, `the overlay (${s.x}, ${s.width}) fits the editor`);
  await page.getByRole('button', { name: 'Hide Inspector' }).first().click();
  await page.getByTestId('side-overlay').waitFor({ state: 'detached' });
  await page.screenshot({ path: join(SHOTS, 'narrow-500-after.png') });

  // Wide again: palette, inspector and minimap are back in their places.
  await page.setViewportSize({ width: 1280, height: 700 });
  await page.getByTestId('palette-search').waitFor();
  await page.getByTestId('inspector').waitFor();
  await page.locator('.react-flow__minimap').waitFor();
  assert.equal(await page.getByTestId('palette-toggle').count(), 0);
  assert.deepEqual(problems, []);
});
