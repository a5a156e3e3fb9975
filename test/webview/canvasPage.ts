/**
 * What the browser tests do on the editor page, as a user would: find a node, drag with the mouse, read
 * the document the stand-in host holds, wait for the host to get a change; and the page itself, one per
 * test file, with every error and blocked resource it reports collected.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import type { ModelDocument } from '../../engine/graph';
import { launchBrowser } from './browser';
import { hostText } from './hostPage';

export const SHOTS = join(__dirname, '../../test-results/webview');
export const example = (name: string): string => readFileSync(join(__dirname, '../../examples', `${name}.nnb.json`), 'utf8');

export interface EditorPage {
  page: Page;
  /** Uncaught page errors and Content-Security-Policy violations (Chromium logs each as a console error). */
  problems: string[];
  close(): Promise<void>;
}

/** Opens an editor page before the tests of the calling file (handing it to `opened`) and closes it after. */
export function useEditorPage(opened: (e: EditorPage) => void): void {
  let editor: EditorPage | undefined;
  before(async () => {
    editor = await launchEditorPage();
    opened(editor);
  });
  after(() => editor?.close());
}

/** A headless Chromium page for the editor tests of one file, collecting what goes wrong on it. */
async function launchEditorPage(): Promise<EditorPage> {
  mkdirSync(SHOTS, { recursive: true });
  const browser = await launchBrowser();
  const page = await browser.context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) problems.push(`CSP: ${m.text()}`);
  });
  return { page, problems, close: () => browser.close() };
}

export const nodeOn = (page: Page, id: string): Locator => page.locator(`[data-testid=node-${id}]`);

export async function center(page: Page, selector: string): Promise<{ x: number; y: number }> {
  const box = await page.locator(selector).first().boundingBox();
  assert.ok(box, `${selector} is not on screen`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** A mouse drag in small steps, as React Flow needs to see a drag (not a click). */
export async function dragMouse(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
  await page.mouse.move(to.x, to.y, { steps: 5 });
  await page.mouse.up();
}

/** The document as the host holds it now. */
export async function hostDoc(page: Page): Promise<ModelDocument> {
  return JSON.parse(await hostText(page)) as ModelDocument;
}

/** Waits until the host's document text contains (or, with `absent`, no longer contains) `needle`. */
export async function hostHas(page: Page, needle: string, absent = false): Promise<void> {
  await page.waitForFunction(([n, not]) => (window as unknown as { __text: string }).__text.includes(n as string) !== not, [needle, absent] as const);
}

/** Selects fc2 and relu2 of the 28x28 MLP example (open on the page) and groups them: Ctrl+G. */
export async function groupMlpHidden(page: Page): Promise<void> {
  await nodeOn(page, 'fc2').click();
  await nodeOn(page, 'relu2').click({ modifiers: ['Control'] });
  await page.keyboard.press('Control+g');
  await hostHas(page, '"op": "Sequential",\n        "children"');
}

/** A model text: a Graph with input x (2 features) and two Linear layers a and b, wired as given. */
export function twoLinearGraph(
  name: string,
  a: [number, number],
  b: [number, number],
  edges: { id: string; from: string; to: string }[],
  outputs: string[],
): string {
  const linear = (id: string, [inFeatures, outFeatures]: [number, number]) => ({ id, op: 'Linear', args: { inFeatures, outFeatures } });
  return JSON.stringify({
    format: 'nnblocks.model/1',
    name,
    input: { shape: [2] },
    model: { id: 'g', op: 'Graph', inputs: ['x'], nodes: [linear('a', a), linear('b', b)], edges, outputs },
  });
}
