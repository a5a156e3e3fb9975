/**
 * The webview bundle in headless Chromium, in a host page standing in for VS Code (fakeHost.ts): render,
 * drag from the palette, connect, refused connections, group and collapse, share weights, undo, the
 * error view, and the messages sent to the host. Screenshots go to test-results/webview/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { isWebviewMessage } from '../../protocol/messages';
import { center as centerOf, dragMouse as drag, example, groupMlpHidden, nodeOn, SHOTS, twoLinearGraph, useEditorPage } from './canvasPage';
import { hostText, openEditor, sent } from './hostPage';

let page: Page;
let problems: string[];
useEditorPage((e) => ({ page, problems } = e));

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });
const node = (id: string) => nodeOn(page, id);
const doc = async () => JSON.parse(await hostText(page));
const center = (selector: string) => centerOf(page, selector);
const dragMouse = (from: { x: number; y: number }, to: { x: number; y: number }) => drag(page, from, to);

test('renders a model with shapes on every edge and parameter counts, in dark and light themes', async () => {
  await openEditor(page, example('two_branch'), 'dark');
  await node('layer1').waitFor();
  assert.match(await node('layer1').innerText(), /Linear[\s\S]*2 → 4[\s\S]*12 params/);
  assert.match(await node('head').innerText(), /\[N, 1\]/);
  const labels = await page.locator('.nnb-edge-label').allInnerTexts();
  assert.ok(labels.includes('[N, 2]') && labels.includes('[N, 4]') && labels.includes('[N, 1]'), labels.join(' | '));
  assert.match(await page.getByTestId('problems').innerText(), /No problems/);
  await shot('two-branch-dark');
  await openEditor(page, example('mlp_28x28'), 'light');
  await node('fc1').waitFor();
  assert.match(await node('fc1').innerText(), /784 → 512[\s\S]*402k params/);
  await shot('mlp-light');
});

/**
 * WCAG contrast of an element's text against the first opaque background behind it. A string, because tsx
 * would wrap named functions in a helper that does not exist in the page.
 */
const CONTRAST_JS = `(el) => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const fg = rgb(getComputedStyle(el).color);
  let bg = [255, 255, 255];
  for (let e = el; e; e = e.parentElement) {
    const c = rgb(getComputedStyle(e).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) { bg = c; break; }
  }
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}`;
async function contrastOf(selector: string): Promise<number> {
  const handle = await page.locator(selector).first().elementHandle();
  assert.ok(handle, `${selector} is not on the page`);
  return handle.evaluate(new Function('el', `return (${CONTRAST_JS})(el)`) as (el: unknown) => number);
}

test('text on nodes, edges, palette and problems is readable in dark, light and high-contrast themes', async () => {
  for (const theme of ['dark', 'light', 'hc'] as const) {
    await openEditor(page, example('two_branch'), theme);
    await node('layer1').waitFor();
    for (const sel of ['[data-testid=node-layer1]', '.nnb-edge-label', '[data-testid=palette-ReLU]', '[data-testid=problems]']) {
      const ratio = await contrastOf(sel);
      if (process.env.NNB_DEBUG) console.log(theme, sel, ratio.toFixed(2));
      assert.ok(ratio >= 4.5, `${theme}: ${sel} has contrast ${ratio.toFixed(2)} (WCAG AA needs 4.5)`);
    }
    // No shape label is hidden under a group's background: each is the topmost element at its centre.
    const covered = await page.locator('.nnb-edge-label').evaluateAll((els) =>
      els
        .filter((el) => {
          const r = el.getBoundingClientRect();
          const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
          return top === null || !el.contains(top);
        })
        .map((el) => el.getAttribute('data-testid')),
    );
    assert.deepEqual(covered, [], `${theme}: edge labels drawn under other elements`);
    await shot(`two-branch-${theme}-contrast`);
  }
});

test('drag a layer from the palette into the chain; the host gets an addNode edit and the shape shows', async () => {
  await openEditor(page, example('flower'));
  const target = await center('[data-testid=node-tanh1]');
  await page.getByTestId('palette-ReLU').dragTo(page.getByTestId('canvas'), {
    targetPosition: await (async () => {
      const canvas = await page.getByTestId('canvas').boundingBox();
      assert.ok(canvas);
      return { x: target.x - canvas.x, y: target.y - canvas.y + 45 };
    })(),
  });
  await page.waitForFunction(() => (window as unknown as { __text: string }).__text.includes('"op": "ReLU"'));
  const edits = await sent(page, 'edit');
  assert.deepEqual((edits.at(-1)?.op as { kind: string; op: string }).op, 'ReLU');
  const children = (await doc()).model.children.map((c: { op: string }) => c.op);
  assert.deepEqual(children, ['Linear', 'Tanh', 'ReLU', 'Linear']);
  const relu = (await doc()).model.children[2].id;
  await node(relu).waitFor();
  assert.match(await node(relu).innerText(), /\[N, 4\]/);
});

const unwired = twoLinearGraph('wiring', [2, 3], [5, 1], [], ['x']);

test('connect two nodes by dragging between handles; a connection that cannot type-check is refused with the reason', async () => {
  await openEditor(page, unwired);
  await node('a').waitFor();
  assert.equal(await node('a').locator('[data-testid=error-badge]').innerText(), '1');
  await dragMouse(await center('[data-testid="port-input-x"] .react-flow__handle'), await center('[data-testid=node-a] .react-flow__handle-top'));
  await page.waitForFunction(() => (window as unknown as { __text: string }).__text.includes('"from": "x"'));
  const edge = (await doc()).model.edges[0];
  assert.deepEqual([edge.from, edge.to], ['x', 'a']);
  await page.getByTestId(`edge-label-${edge.id}`).waitFor();
  assert.equal(await page.getByTestId(`edge-label-${edge.id}`).innerText(), '[N, 2]');
  const before = (await sent(page, 'edit')).length;
  await dragMouse(await center('[data-testid=node-a] .react-flow__handle-bottom'), await center('[data-testid=node-b] .react-flow__handle-top'));
  const notice = page.getByTestId('notice');
  await notice.waitFor();
  assert.match(await notice.innerText(), /expects 5 input features but receives 3/);
  assert.equal((await sent(page, 'edit')).length, before, 'a refused connection is not sent to the host');
  await shot('refused-connection');
});

test('group as Sequential, collapse to one node with its shapes and parameters, and undo through the host', async () => {
  await openEditor(page, example('mlp_28x28'));
  await groupMlpHidden(page);
  const group = (await doc()).model.children[3];
  assert.equal(group.op, 'Sequential');
  assert.deepEqual(
    group.children.map((c: { id: string }) => c.id),
    ['fc2', 'relu2'],
  );
  await page.getByTestId(`group-${group.id}`).waitFor();
  await shot('grouped');
  await page.getByTestId(`group-${group.id}`).getByRole('button', { name: 'Collapse group' }).click();
  await node(group.id).waitFor();
  assert.match(await node(group.id).innerText(), /Sequential[\s\S]*\[N, 512\] → \[N, 512\][\s\S]*263k params/);
  assert.equal(await node('fc2').count(), 0);
  await shot('collapsed');
  // Undo: VS Code (here the host page) undoes the document; the canvas follows.
  await page.getByTestId('canvas').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => !(window as unknown as { __text: string }).__text.includes('"op": "Sequential",\n        "children"'));
  await node('fc2').waitFor();
  assert.equal((await doc()).model.children.length, 6);
  await page.keyboard.press('Control+Shift+z');
  await node(group.id).waitFor();
});

test('share weights from the context menu: the tie is drawn and marked; untie from the inspector', async () => {
  await openEditor(page, example('shared_weights'));
  await node('shared_again').waitFor();
  assert.equal(await page.locator('.nnb-tie-edge').count(), 1);
  await node('shared_again').click();
  await page.getByTestId('untie').click();
  await page.waitForFunction(() => !(window as unknown as { __text: string }).__text.includes('"op": "Shared"'));
  await page.waitForFunction(() => document.querySelectorAll('.nnb-tie-edge').length === 0);
  await node('shared_again').click({ button: 'right' });
  await page.getByRole('menuitem', { name: /Share Weights With/ }).click();
  await page.getByRole('menuitem', { name: /^shared/ }).click();
  await page.waitForFunction(() => (window as unknown as { __text: string }).__text.includes('"ref": "shared"'));
  await page.waitForFunction(() => document.querySelectorAll('.nnb-tie-edge').length === 1);
  assert.equal(await node('shared_again').locator('.nnb-tie').count(), 1);
  await node('shared').hover();
  await shot('shared-weights-hover');
});

test('a file that is not a valid model opens to an error view naming the problem, and nothing is sent to change it', async () => {
  await openEditor(page, '{\n  "format": "nnblocks.model/1",\n  "name": 3\n}\n', 'dark', 'broken.nnb.json');
  const view = page.getByTestId('error-view');
  await view.waitFor();
  const text = await view.innerText();
  assert.match(text, /broken\.nnb\.json/);
  assert.match(text, /line 3/);
  assert.match(text, /name/);
  await page.getByTestId('open-text').click();
  await page.waitForFunction(() =>
    (window as unknown as { __sent: { type: string; command?: string }[] }).__sent.some((m) => m.command === 'openText'),
  );
  assert.equal((await sent(page, 'edit')).length, 0);
  await shot('error-view');
});

test('inspector renames with identifier validation; every message sent to the host is well formed', async () => {
  await openEditor(page, example('two_branch'));
  await node('layer1').click();
  const name = page.getByTestId('inspector-name');
  await name.click();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('1st');
  await page.getByTestId('name-error').waitFor();
  assert.match(await page.getByTestId('name-error').innerText(), /not a valid identifier/);
  await page.keyboard.press('Control+a');
  await page.keyboard.type('left');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => (window as unknown as { __text: string }).__text.includes('"name": "left"'));
  const all = await sent(page);
  const invalid = await page.evaluate(() => (window as unknown as { __invalidMessages: unknown[] }).__invalidMessages);
  assert.deepEqual(invalid, []);
  assert.ok(all.filter((m) => !String(m.type).startsWith('training/')).every((m) => isWebviewMessage(m)));
  assert.deepEqual(problems, []);
});

test('in an untrusted workspace the graph stays editable and training is disabled with an explanation', async () => {
  await openEditor(page, example('flower'), 'dark', 'flower.nnb.json', false);
  await node('tanh1').click();
  await page.getByTestId('palette-ReLU').dblclick();
  await page.waitForFunction(() => (window as unknown as { __text: string }).__text.includes('"op": "ReLU"'));
  await page.getByTestId('tab-training').click();
  assert.match(await page.getByTestId('untrusted').innerText(), /Training runs code on this machine[\s\S]*Trust the workspace to train/);
  assert.equal(await page.getByTestId('train-button').count(), 0);
  assert.deepEqual(
    (await sent(page)).filter((m) => String(m.type).startsWith('training/')),
    [],
    'no training message is sent',
  );
  await shot('untrusted');
});
