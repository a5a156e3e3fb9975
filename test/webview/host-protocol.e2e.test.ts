/**
 * The webview's half of the protocol with the host, in headless Chromium under the extension's CSP
 * (hostPage.ts): a document that the page's own newer edit overtook is dropped and the one that includes
 * the edit is taken; a malformed host message is reported to the host's log; Auto Layout's elkjs is not
 * loaded at start but on the first Auto Layout, with the page's nonce; and a page with no saved state of
 * its own takes the state the host kept for the document, and sends its changes back to the host.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { example, nodeOn, useEditorPage } from './canvasPage';
import { cspViolations, hostText, openEditor, sent } from './hostPage';

let page: Page;
let problems: string[];
useEditorPage((e) => ({ page, problems } = e));

/** Posts a message to the webview as its host would. */
const fromHost = (m: unknown) => page.evaluate((msg) => window.postMessage(msg, '*'), m);
const reluCount = () => page.locator('[data-testid^=node-relu]').count();
/** The scripts on the page (their file names), and whether the layout part registered itself. */
const loadedScripts = () =>
  page.evaluate(() =>
    [...document.scripts]
      .map((s) => s.src.split('/').pop() ?? '')
      .concat((window as unknown as { __nnbParts?: { layout?: unknown } }).__nnbParts?.layout ? ['(layout registered)'] : []),
  );

test("a document older than the page's own newer edit is dropped; the one that includes the edit is shown", async () => {
  const original = example('flower');
  await openEditor(page, original, 'dark', 'flower.nnb.json');
  await nodeOn(page, 'tanh1').click();
  await page.getByTestId('palette-ReLU').dblclick();
  await page.locator('[data-testid^=node-relu]').first().waitFor();
  await page.waitForFunction(() => (window as unknown as { __text: string }).__text.includes('"ReLU"'));
  const edits = await sent(page, 'edit');
  assert.deepEqual(
    edits.map((m) => m.seq),
    [1],
  );
  // A change that reached the host before the edit (edit 0 in it): it must not wipe the ReLU away.
  const version = Number(await page.locator('.nnb-editor').getAttribute('data-version'));
  await fromHost({ type: 'document', text: original, version: version + 1, edit: 0, fileName: 'flower.nnb.json' });
  // The next message (the host's answer including edit 1) is handled after the stale one, in order.
  const withEdit = await hostText(page);
  await fromHost({ type: 'document', text: withEdit, version: version + 2, edit: 1, fileName: 'flower.nnb.json' });
  await page.waitForFunction((v) => document.querySelector('.nnb-editor')?.getAttribute('data-version') === String(v), version + 2);
  assert.equal(await reluCount(), 1, 'the stale document was dropped');
  // A revert that includes the edit (the host took it, then the file was reverted): shown.
  await fromHost({ type: 'document', text: original, version: version + 3, edit: 1, fileName: 'flower.nnb.json' });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid^=node-relu]').length === 0);
  assert.deepEqual(problems, []);
});

test('a malformed message from the host is reported to the host, naming the field', async () => {
  await openEditor(page, example('flower'));
  await fromHost({ type: 'document', version: 3, edit: 0, fileName: 'x.nnb.json' });
  await page.waitForFunction(() => (window as unknown as { __sent: { type: string }[] }).__sent.some((m) => m.type === 'webviewError'));
  const [report] = await sent(page, 'webviewError');
  assert.match(String(report.message), /malformed message from the host: text: Required/);
  assert.equal(await nodeOn(page, 'fc1').count(), 1, 'the graph is still shown');
});

test('Auto Layout loads its part (elkjs) on first use, under the nonce-only CSP', async () => {
  await openEditor(page, example('two_branch'));
  assert.deepEqual(
    (await loadedScripts()).filter((s) => s !== 'fakeHost.js' && s !== ''),
    ['editor.js'],
    'only the editor at start',
  );
  const before = await nodeOn(page, 'layer1').boundingBox();
  await page.keyboard.press('Shift+L');
  await page.waitForFunction(
    () => Object.keys((window as unknown as { __state: { positions: Record<string, object> } }).__state?.positions?.[':model'] ?? {}).length > 0,
  );
  assert.deepEqual(
    (await loadedScripts()).filter((s) => s !== 'fakeHost.js' && s !== '').sort(),
    ['(layout registered)', 'editor.js', 'layout.js'],
    'loaded by the first Auto Layout',
  );
  await page.waitForFunction((b) => {
    const r = document.querySelector('[data-testid=node-layer1]')?.getBoundingClientRect();
    return r !== undefined && b !== null && (Math.abs(r.x - b.x) > 1 || Math.abs(r.y - b.y) > 1);
  }, before);
  assert.deepEqual(await cspViolations(page), []);
  assert.deepEqual(problems, []);
});

test('with no saved state of its own the page takes the state the host kept, and sends its changes to the host', async () => {
  // Before the page's own scripts: the host (fakeHost.ts) kept layer2 collapsed for this document.
  await page.addInitScript(
    () =>
      ((window as unknown as { __hostUiState: unknown }).__hostUiState = {
        collapsed: ['layer2'],
        positions: {},
        viewport: null,
        scope: '',
        sideTab: 'inspector',
        selected: [],
      }),
  );
  await openEditor(page, example('two_branch'));
  await nodeOn(page, 'layer2').waitFor();
  assert.equal(await page.getByTestId('group-layer2').count(), 0, 'collapsed, as the host kept it');
  await nodeOn(page, 'layer2').getByRole('button', { name: 'Expand group' }).click();
  await page.getByTestId('group-layer2').waitFor();
  await page.waitForFunction(() => (window as unknown as { __hostUiState: { collapsed: string[] } }).__hostUiState.collapsed.length === 0);
  // Every state sent is one the page had after taking the host's: never an empty first state over the host's.
  const states = (await sent(page, 'uiState')).map((m) => (m.state as { collapsed: string[] }).collapsed.join());
  assert.ok(states.length > 0 && states.every((c) => c === 'layer2' || c === ''), states.join(' | '));
  assert.equal(states[states.length - 1], '');
});
