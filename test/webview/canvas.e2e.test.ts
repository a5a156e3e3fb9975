/**
 * The canvas as a demanding user works it, in headless Chromium under the extension's CSP (hostPage.ts):
 * collapse and expand groups anywhere, box select, copy/cut/paste, delete, keyboard shortcuts, reusable
 * blocks and their definitions, auto layout of nested groups, fit view, zoom, the minimap, tie
 * highlighting, error badges with their messages, the problems list bringing any node into view, the
 * palette's search, the inspector's typed arguments and inits, and the editor's state across a reload.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { BlockNode, LayerNode, SequentialNode } from '../../engine/graph';
import { center, dragMouse, example, groupMlpHidden, hostDoc, hostHas, nodeOn, SHOTS, twoLinearGraph, useEditorPage } from './canvasPage';
import { waitFor } from '../helpers/poll';
import { openEditor, sent } from './hostPage';

let page: Page;
let problems: string[];
useEditorPage((e) => ({ page, problems } = e));

const node = (id: string) => nodeOn(page, id);
const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });
const children = async () => ((await hostDoc(page)).model as SequentialNode).children;
const childIds = async () => (await children()).map((c) => c.id);
const inspectorTitle = () => page.locator('.nnb-inspector h2').first().innerText();
type Box = { x: number; y: number; width: number; height: number };
const boxOf = async (selector: string): Promise<Box> => {
  const b = await page.locator(selector).first().boundingBox();
  assert.ok(b, `${selector} is not on screen`);
  return b;
};
const inside = (inner: Box, outer: Box) =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

test('collapse a clicked group inside a Graph and expand it again; the editor stays up', async () => {
  await openEditor(page, example('two_branch'));
  const group = page.getByTestId('group-layer2');
  await group.waitFor();
  // The click that collapses also selects the group: the two must not chase each other (React's
  // "maximum update depth" once took the whole editor down here).
  await group.getByRole('button', { name: 'Collapse group' }).click();
  await node('layer2').waitFor();
  assert.match(await node('layer2').innerText(), /Sequential[\s\S]*\[N, 2\] → \[N, 4\][\s\S]*12 params/);
  assert.equal(await node('l2_fc').count(), 0);
  assert.equal(await inspectorTitle(), 'Sequential layer2');
  await node('layer2').getByRole('button', { name: 'Expand group' }).click();
  await node('l2_fc').waitFor();
  await group.waitFor();
  assert.deepEqual(problems, []);
});

test("an expanded group's frame holds its whole header: type, name, shapes and parameters", async () => {
  await openEditor(page, example('mlp_28x28'));
  await groupMlpHidden(page);
  for (const text of [null, example('two_branch')]) {
    if (text !== null) await openEditor(page, text);
    await page.locator('.nnb-group-head').first().waitFor();
    const clipped = await page.locator('.nnb-group').evaluateAll((groups) =>
      groups.flatMap((g) => {
        const head = g.querySelector('.nnb-group-head') as HTMLElement;
        const title = g.querySelector('.nnb-group-head .nnb-title') as HTMLElement;
        return head.scrollWidth > head.clientWidth + 1 || title.scrollWidth > title.clientWidth + 1 ? [g.getAttribute('data-testid')] : [];
      }),
    );
    assert.deepEqual(clipped, [], 'group headers cut off');
  }
  await shot('group-headers');
});

test('box select with Shift+drag, copy and paste after the selection with fresh ids, cut, and delete', async () => {
  await openEditor(page, example('mlp_28x28'));
  const a = await boxOf('[data-testid=node-fc2]');
  const b = await boxOf('[data-testid=node-relu2]');
  await page.keyboard.down('Shift');
  await dragMouse(page, { x: a.x - 25, y: a.y - 12 }, { x: b.x + b.width + 25, y: b.y + b.height + 12 });
  await page.keyboard.up('Shift');
  assert.equal(await inspectorTitle(), '2 nodes selected');
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await page.waitForFunction(() => (window as unknown as { __text: string }).__text.split('"op": "Linear"').length === 5);
  const ids = await childIds();
  assert.deepEqual(ids.slice(0, 5), ['flatten', 'fc1', 'relu1', 'fc2', 'relu2']);
  assert.equal(ids.at(-1), 'fc3');
  const pasted = ids.slice(5, 7);
  assert.equal(new Set(ids).size, ids.length, `fresh ids: ${ids.join()}`);
  assert.deepEqual(
    (await children()).slice(5, 7).map((c) => c.op),
    ['Linear', 'ReLU'],
  );
  assert.equal(await inspectorTitle(), '2 nodes selected', 'the pasted nodes are selected');
  await page.keyboard.press('Control+x');
  await page.waitForFunction((p) => !p.some((id) => (window as unknown as { __text: string }).__text.includes(`"id": "${id}"`)), pasted);
  assert.deepEqual(await childIds(), ['flatten', 'fc1', 'relu1', 'fc2', 'relu2', 'fc3']);
  await node('relu2').click();
  await page.keyboard.press('Delete');
  await hostHas(page, '"id": "relu2"', true);
  assert.deepEqual(await childIds(), ['flatten', 'fc1', 'relu1', 'fc2', 'fc3']);
  assert.deepEqual(problems, []);
});

test('keyboard: Alt+Up and Alt+Down reorder, Ctrl+G groups, Ctrl+Shift+G ungroups, Escape clears the selection', async () => {
  const original = example('flower');
  await openEditor(page, original);
  await node('fc2').click();
  await page.keyboard.press('Alt+ArrowUp');
  await page.waitForFunction(() => /"fc2"[\s\S]*"tanh1"/.test((window as unknown as { __text: string }).__text));
  assert.deepEqual(await childIds(), ['fc1', 'fc2', 'tanh1']);
  await page.keyboard.press('Alt+ArrowDown');
  await page.waitForFunction(() => /"tanh1"[\s\S]*"fc2"/.test((window as unknown as { __text: string }).__text));
  await node('fc1').click();
  await node('tanh1').click({ modifiers: ['Control'] });
  await page.keyboard.press('Control+g');
  await hostHas(page, '"op": "Sequential",\n        "children"');
  const group = (await children())[0];
  assert.equal(group.op, 'Sequential');
  assert.equal(await inspectorTitle(), `Sequential ${group.id}`, 'the new group is selected');
  await page.keyboard.press('Control+Shift+g');
  await hostHas(page, `"id": "${group.id}"`, true);
  assert.deepEqual(await childIds(), ['fc1', 'tanh1', 'fc2']);
  await page.keyboard.press('Escape');
  assert.equal(await inspectorTitle(), 'flower');
});

test('a node that leaves the canvas leaves the selection: after an undo removes it, Ctrl+G groups only what is selected', async () => {
  await openEditor(page, example('flower'));
  await node('tanh1').click();
  await page.getByTestId('palette-ReLU').dblclick();
  await hostHas(page, '"op": "ReLU"');
  const relu = (await children())[2].id;
  assert.equal(await inspectorTitle(), `ReLU ${relu}`, 'the new node is selected');
  await page.getByTestId('canvas').click({ position: { x: 20, y: 20 } });
  await node(relu).click();
  await page.keyboard.press('Control+z'); // the host undoes the document: the ReLU is gone
  await hostHas(page, '"op": "ReLU"', true);
  await node(relu).waitFor({ state: 'detached' });
  await node('fc1').click({ modifiers: ['Control'] });
  await node('tanh1').click({ modifiers: ['Control'] });
  assert.equal(await inspectorTitle(), '2 nodes selected');
  await page.keyboard.press('Control+g');
  await hostHas(page, '"op": "Sequential",\n        "children"');
  assert.deepEqual(
    ((await children())[0] as SequentialNode).children.map((c) => c.id),
    ['fc1', 'tanh1'],
  );
});

test('drag a layer into a nested group between two of its children; in a Graph it lands where it is dropped', async () => {
  await openEditor(page, example('mlp_28x28'));
  await groupMlpHidden(page);
  const canvas = await boxOf('[data-testid=canvas]');
  const fc2 = await boxOf('[data-testid=node-fc2]');
  // Just below fc2, inside the group: between fc2 and relu2.
  await page
    .getByTestId('palette-Dropout')
    .dragTo(page.getByTestId('canvas'), { targetPosition: { x: fc2.x - canvas.x + fc2.width / 2, y: fc2.y - canvas.y + fc2.height + 20 } });
  await hostHas(page, '"op": "Dropout"');
  const group = (await children())[3] as SequentialNode;
  assert.deepEqual(
    group.children.map((c) => c.op),
    ['Linear', 'Dropout', 'ReLU'],
  );

  await openEditor(page, example('two_branch'));
  const at = { x: 60, y: 300 };
  await page.getByTestId('palette-ReLU').dragTo(page.getByTestId('canvas'), { targetPosition: at });
  await hostHas(page, '"op": "ReLU"');
  const relu = await boxOf('[data-testid=node-relu1]');
  const dropped = { x: canvas.x + at.x, y: canvas.y + at.y };
  assert.ok(
    inside({ ...dropped, width: 0, height: 0 }, relu),
    `the node (${JSON.stringify(relu)}) lies under the drop point ${JSON.stringify(dropped)}`,
  );
});

test('make a reusable block, place another instance from the palette, and edit the definition: every instance follows', async () => {
  await openEditor(page, example('mlp_28x28'));
  await groupMlpHidden(page);
  const group = (await children())[3].id;
  await page.getByTestId(`group-${group}`).locator('.nnb-group-head').click({ button: 'right' });
  await page.getByRole('menuitem', { name: /Make Reusable Block/ }).click();
  await page.getByTestId('prompt-input').fill('hidden');
  await page.keyboard.press('Enter');
  await hostHas(page, '"block": "hidden"');
  const first = (await children())[3] as BlockNode;
  assert.equal(first.op, 'Block');
  await node(first.id).click();
  await page.getByTestId('palette-hidden').dblclick();
  await page.waitForFunction(() => (window as unknown as { __text: string }).__text.split('"block": "hidden"').length === 3);
  const instances = (await children()).filter((c) => c.op === 'Block').map((c) => c.id);
  assert.equal(instances.length, 2);
  assert.equal((await childIds()).indexOf(instances[1]), 4, 'the new instance goes right after the selected one');
  assert.equal(await page.locator('.nnb-total').innerText(), '932,362 params', 'each instance has its own weights');
  for (const id of instances) assert.match(await node(id).innerText(), /263k params/);

  // Edit the definition: the banner says it applies to every instance; the body's input is the block's.
  await page.getByTestId('scope').selectOption('hidden');
  await page.getByText('changes apply to every instance').waitFor();
  assert.equal(await page.getByTestId('port-input-input').locator('.nnb-shape').innerText(), '[N, 512]');
  await node('fc2').click();
  await page.getByTestId('arg-bias').click();
  await page.waitForFunction(() => (window as unknown as { __text: string }).__text.includes('"bias": false'));
  const body = (await hostDoc(page)).blocks?.hidden.body as SequentialNode;
  assert.deepEqual((body.children[0] as LayerNode).args, { inFeatures: 512, outFeatures: 512, bias: false });
  await page.getByRole('button', { name: 'Back to model' }).click();
  for (const id of instances) assert.match(await node(id).innerText(), /262k params/);
  assert.equal(await page.locator('.nnb-total').innerText(), '931,338 params');
  await shot('block-instances');
});

test('auto layout (Shift+L) keeps nested groups around their children and clear of their neighbours; fit view, zoom, minimap', async () => {
  await openEditor(page, example('two_branch'));
  const before = await boxOf('[data-testid=node-layer1]');
  await page.keyboard.press('Shift+L');
  await page.waitForFunction(
    () => Object.keys((window as unknown as { __state: { positions: Record<string, object> } }).__state?.positions?.[':model'] ?? {}).length > 0,
  );
  // The layout ends with a fit-view animation: wait until the nodes stop moving.
  let last = '';
  await waitFor('the layout to settle', async () => {
    const now = JSON.stringify(await boxOf('[data-testid=node-layer1]'));
    const still = now === last;
    last = now;
    return still;
  });
  assert.notDeepEqual(await boxOf('[data-testid=node-layer1]'), before, 'the layout moved the nodes');
  const group = await boxOf('[data-testid=group-layer2]');
  for (const child of ['l2_fc', 'l2_tanh']) assert.ok(inside(await boxOf(`[data-testid=node-${child}]`), group), `${child} lies inside its group`);
  for (const other of ['layer1', 'sum', 'head'])
    assert.ok(!overlap(await boxOf(`[data-testid=node-${other}]`), group), `${other} stays clear of the group`);
  await shot('auto-layout');

  const scale = async () => Number((await page.locator('.react-flow__viewport').getAttribute('style'))?.match(/scale\(([\d.]+)\)/)?.[1]);
  const zoom = await scale();
  await page.locator('.react-flow__controls-zoomin').click();
  await page.waitForFunction(
    (z) =>
      Number(
        document
          .querySelector('.react-flow__viewport')
          ?.getAttribute('style')
          ?.match(/scale\(([\d.]+)\)/)?.[1],
      ) > z,
    zoom,
  );
  await page.locator('.react-flow__controls-zoomin').click();
  await page.locator('.react-flow__controls-zoomin').click();
  await page.getByRole('toolbar').getByRole('button', { name: 'Fit', exact: true }).click();
  const canvas = await boxOf('[data-testid=canvas]');
  const all = ['[data-testid=port-input-x]', '[data-testid=port-output-output]', '[data-testid=node-layer1]', '[data-testid=node-head]'];
  await waitFor('every node in view after Fit', async () =>
    (await Promise.all(all.map(async (sel) => inside(await boxOf(sel), canvas)))).every(Boolean),
  );
  // The minimap draws every node of the canvas.
  assert.equal(await page.locator('.react-flow__minimap .react-flow__minimap-node').count(), await page.locator('.react-flow__node').count());
});

test('the editor state survives a reload: collapsed groups, dragged positions, viewport, side tab; the file is never touched', async () => {
  const text = example('two_branch');
  await openEditor(page, text);
  await page.getByTestId('group-layer2').getByRole('button', { name: 'Collapse group' }).click();
  await node('layer2').waitFor();
  const from = await center(page, '[data-testid=node-layer1] .nnb-node-head');
  await dragMouse(page, from, { x: from.x + 60, y: from.y + 90 });
  await page.locator('.react-flow__controls-zoomout').click();
  await page.getByTestId('tab-training').click();
  await page.waitForFunction(() => {
    const s = (window as unknown as { __state?: { sideTab: string; viewport: unknown } }).__state;
    return s?.sideTab === 'training' && s.viewport !== null;
  });
  const state = await page.evaluate(() => (window as unknown as { __state: unknown }).__state);
  const viewport = await page.locator('.react-flow__viewport').getAttribute('style');
  const moved = await boxOf('[data-testid=node-layer1]');
  assert.deepEqual(await sent(page, 'edit'), [], 'collapsing, moving and zooming do not edit the document');

  // VS Code hands the saved state back to the new page after a reload (or hiding and showing the editor).
  await openEditor(page, text, 'dark', 'model.nnb.json', true, state);
  await node('layer2').waitFor();
  assert.equal(await page.getByTestId('group-layer2').count(), 0, 'layer2 is still collapsed');
  assert.equal(await page.locator('.react-flow__viewport').getAttribute('style'), viewport);
  assert.deepEqual(await boxOf('[data-testid=node-layer1]'), moved);
  assert.equal(await page.getByTestId('tab-training').getAttribute('aria-selected'), 'true');
});

test('hovering a tied node highlights the node it shares weights with, and the tie', async () => {
  await openEditor(page, example('shared_weights'));
  await page.mouse.move(1, 1); // away from every node
  const lit = (id: string) =>
    node(id).evaluate((el) => getComputedStyle(el).outlineStyle !== 'none' && parseFloat(getComputedStyle(el).outlineWidth) > 0);
  const tieWidth = () => page.locator('.nnb-tie-edge').evaluate((el) => parseFloat(getComputedStyle(el).strokeWidth));
  const resting = await tieWidth();
  assert.equal(await lit('shared_again'), false);
  await node('shared').hover();
  await waitFor('the tied node to light up', () => lit('shared_again'));
  assert.equal(await lit('shared'), true);
  assert.ok((await tieWidth()) > resting, 'the tie is drawn thicker');
  assert.equal(await lit('fc1'), false, 'untied nodes stay as they are');
  await node('fc1').hover();
  await waitFor('the highlight to go', async () => !(await lit('shared_again')));
});

const cyclic = twoLinearGraph(
  'loop',
  [2, 2],
  [2, 2],
  [
    { id: 'e1', from: 'a', to: 'b' },
    { id: 'e2', from: 'b', to: 'a' },
  ],
  ['b'],
);

test('errors are badges on the node and the edge at fault with the message on hover, and are listed under the canvas', async () => {
  await openEditor(page, cyclic);
  const label = page.getByTestId('edge-label-e2');
  await label.waitFor();
  assert.equal(await label.locator('.nnb-badge-error').innerText(), '1');
  assert.match((await label.getAttribute('title')) ?? '', /edge b → a is part of a cycle/);
  assert.match(await page.getByTestId('problems').innerText(), /e1[\s\S]*part of a cycle[\s\S]*e2[\s\S]*part of a cycle/);
  const mlp = JSON.parse(example('mlp_28x28'));
  mlp.model.children.find((c: { id: string }) => c.id === 'fc3').args.inFeatures = 500; // fc3 expects 500 features, gets 512
  await openEditor(page, JSON.stringify(mlp));
  const badge = node('fc3').getByTestId('error-badge');
  assert.equal(await badge.innerText(), '1');
  assert.match((await badge.getAttribute('title')) ?? '', /expects 500 input features but receives 512/);
  await shot('errors');
});

const hidden = JSON.stringify({
  format: 'nnblocks.model/1',
  name: 'hidden_errors',
  input: { shape: [4] },
  model: {
    id: 'net',
    op: 'Sequential',
    children: [
      {
        id: 'outer',
        op: 'Sequential',
        children: [{ id: 'inner', op: 'Sequential', children: [{ id: 'bad', op: 'Linear', args: { inFeatures: 3, outFeatures: 4 } }] }],
      },
      { id: 'use', op: 'Block', block: 'tail' },
    ],
  },
  // An argument out of range is found whatever the shapes before it (the chain stops at 'bad').
  blocks: { tail: { body: { id: 'tail_body', op: 'Sequential', children: [{ id: 'wrong', op: 'Dropout', args: { p: 2 } }] } } },
});

test('the problems list brings the node at fault into view: inside collapsed groups, or in a block definition', async () => {
  // Both groups collapsed, as a user may have left them.
  const state = { collapsed: ['outer', 'inner'], positions: {}, viewport: null, scope: '', sideTab: 'inspector', selected: [] };
  await openEditor(page, hidden, 'dark', 'model.nnb.json', true, state);
  await node('outer').waitFor();
  assert.equal(await node('outer').getByTestId('error-badge').innerText(), '1', 'the collapsed group counts the error inside');
  assert.equal(await node('bad').count(), 0);
  await page.getByTestId('problems').getByText('expects 3 input features').click();
  await node('bad').waitFor();
  assert.equal(await inspectorTitle(), 'Linear bad');
  assert.ok(inside(await boxOf('[data-testid=node-bad]'), await boxOf('[data-testid=canvas]')), 'the node is in view');
  await page.getByTestId('problems').getByText('must be <= 1').click();
  await page.getByText('changes apply to every instance').waitFor();
  assert.equal(await page.getByTestId('scope').inputValue(), 'tail');
  await node('wrong').waitFor();
  assert.equal(await inspectorTitle(), 'Dropout wrong');
});

test('the palette is grouped and searchable; Enter inserts the first match after the selected node', async () => {
  await openEditor(page, example('flower'));
  const headings = await page.locator('.nnb-palette-group h3').allInnerTexts();
  assert.deepEqual(
    headings.map((h) => h.toLowerCase()),
    ['linear', 'convolution', 'pooling', 'normalization', 'activations', 'shape', 'regularization', 'merge', 'containers', 'blocks'],
  );
  await node('fc1').click();
  await page.getByTestId('palette-search').fill('softmax');
  assert.deepEqual(await page.locator('.nnb-palette-item').allInnerTexts(), ['Softmax', 'LogSoftmax']);
  await page.keyboard.press('Enter');
  await hostHas(page, '"op": "Softmax"');
  assert.deepEqual(
    (await children()).map((c) => c.op),
    ['Linear', 'Softmax', 'Tanh', 'Linear'],
  );
  await page.getByTestId('palette-search').fill('zzz');
  assert.equal(await page.locator('.nnb-palette-item').count(), 0);
  await page.getByTestId('palette-search').fill('');
  assert.equal(
    await page.getByTestId('palette-Linear').getAttribute('title'),
    'Fully connected layer y = x·Wᵀ + b, weight [out, in].\nShape: [N, *, inFeatures] → [N, *, outFeatures]',
  );
  assert.match((await page.getByTestId('palette-concat').getAttribute('title')) ?? '', /Shape: shapes equal but along dim/);
});

test('the inspector shows argument types and ranges, refuses values out of range, sets inits and lists parameter shapes', async () => {
  await openEditor(page, example('flower'));
  await node('fc1').click();
  const field = (name: string) => page.locator('.nnb-field', { has: page.getByTestId(`arg-${name}`) });
  assert.equal(await page.getByTestId('inspector-shape-rule').innerText(), 'Shape: [N, *, inFeatures] → [N, *, outFeatures]');
  assert.match(await field('outFeatures').locator('.nnb-field-name').innerText(), /outFeatures\s+int, ≥ 1, required/);
  assert.match(await field('bias').locator('.nnb-field-name').innerText(), /bias\s+bool, default true/);
  assert.deepEqual(await page.locator('.nnb-param-list li').allInnerTexts(), ['weight [4, 2]', 'bias [4]']);
  const out = page.getByTestId('arg-outFeatures');
  await out.click();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('0');
  assert.match(await field('outFeatures').locator('.nnb-field-error').innerText(), /outFeatures must be ≥ 1/);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+a');
  await page.keyboard.type('3');
  await page.keyboard.press('Enter');
  await hostHas(page, '"outFeatures": 3');
  assert.equal((await sent(page, 'edit')).length, 1, 'the out-of-range value was never sent');
  assert.deepEqual(await page.locator('.nnb-param-list li').allInnerTexts(), ['weight [3, 2]', 'bias [3]']);
  assert.match((await node('fc2').getByTestId('error-badge').getAttribute('title')) ?? '', /expects 4 input features but receives 3/);

  const init = page.locator('vscode-single-select[aria-label="init of weight"]');
  await init.click();
  await init.getByRole('option', { name: 'normal', exact: true }).click();
  await hostHas(page, '"kind": "normal"');
  const fc1 = (await children())[0] as LayerNode;
  assert.deepEqual(fc1.init, { weight: { kind: 'normal', mean: 0, std: 0.01 } });
  await page.locator('vscode-textfield[aria-label="weight std"]').click();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('0.2');
  await page.keyboard.press('Enter');
  await hostHas(page, '"std": 0.2');
  await shot('inspector');
});

test('nothing above raised a page error or broke the Content-Security-Policy', () => {
  assert.deepEqual(problems, []);
});
