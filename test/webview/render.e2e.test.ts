/**
 * The render workload: a 330-node model (30 nested Sequentials of 10 layers) opens with every node drawn,
 * and dragging a node neither re-analyses the document nor rebuilds the graph nor re-renders the other
 * nodes. How fast it renders is measured by `npm run bench` (bench/limits.ts, target < 1 s), not here.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { waitFor } from '../helpers/poll';
import { bigModel } from './bigModel';
import { openEditor } from './hostPage';

let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
before(async () => {
  browser = await launchBrowser();
  page = await browser.context.newPage();
});
after(async () => browser?.close());

type Stats = { analyses: number; flows: number; nodeRenders: number };
const stats = () => page.evaluate(() => ({ ...(window as unknown as { __nnbStats: Stats }).__nnbStats }));

test('a 330-node model opens with every node drawn; dragging re-renders only the dragged node', async () => {
  const text = bigModel();
  await openEditor(
    page,
    JSON.stringify({
      format: 'nnblocks.model/1',
      name: 'warm',
      input: { shape: [2] },
      model: { id: 'm', op: 'Linear', args: { inFeatures: 2, outFeatures: 1 } },
    }),
  );
  // The document arrives as it does from the extension; every node ends up drawn and visible (React Flow
  // hides a node until it knows its size) inside a positioned viewport.
  await page.evaluate((t) => window.postMessage({ type: 'document', text: t, version: 99, edit: 0, fileName: 'big.nnb.json' }, '*'), text);
  const drawn = () =>
    page.evaluate(() => {
      const n = [...document.querySelectorAll<HTMLElement>('.react-flow__node[data-id]')].filter((e) => e.style.visibility !== 'hidden').length;
      const pane = document.querySelector('.react-flow__viewport') as HTMLElement | null;
      return pane && getComputedStyle(pane).transform !== 'none' ? n : 0;
    });
  await waitFor('300 nodes drawn in a positioned viewport', async () => (await drawn()) >= 300, {
    timeoutMs: 30000,
    explain: async () => `${await drawn()} drawn`,
  });

  // Drag a node: no analysis, no new flow graph, and only the dragged node re-renders.
  const box = await page.locator('.react-flow__node-layer').first().boundingBox();
  assert.ok(box);
  const before = await stats();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 6, box.y + box.height / 2 + 2);
  // The drag has started (React Flow marks the selection once); from here on every move must be cheap.
  const started = await stats();
  for (let i = 2; i <= 20; i++) await page.mouse.move(box.x + box.width / 2 + i * 6, box.y + box.height / 2 + i * 2);
  await page.mouse.up();
  // The drop's state updates have landed once React Flow no longer marks a node as being dragged.
  await waitFor('the drop to land', async () => (await page.locator('.react-flow__node.dragging').count()) === 0);
  const afterDrag = await stats();
  const perMove = (afterDrag.nodeRenders - started.nodeRenders) / 19;
  console.log(
    `drag benchmark: 20 mouse moves; drag start ${started.nodeRenders - before.nodeRenders} node renders, then ${perMove.toFixed(1)} per move; ${afterDrag.analyses - before.analyses} analyses`,
  );
  assert.equal(afterDrag.analyses, before.analyses, 'dragging must not re-analyse the document');
  assert.equal(afterDrag.flows, before.flows, 'dragging must not rebuild the flow graph');
  assert.ok(perMove <= 2, `each move re-rendered ${perMove} nodes`);
});
