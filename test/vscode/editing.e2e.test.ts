/**
 * Editing in a real VS Code (code-server, see codeServer.ts) beyond the first steps of
 * extension.e2e.test.ts: quick successive edits, revert, the editor's state across hiding and reloading,
 * the error view of a broken file, New Model from a template, generated code in a new editor, Check
 * Model, and commands following the model in the active tab. Screenshots go to test-results/vscode/.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { startStudio, waitFor, type Studio } from './codeServer';

const SHOTS = join(__dirname, '../../test-results/vscode');
let studio: Studio;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  studio = await startStudio();
});
after(async () => {
  if (studio) await studio.page.screenshot({ path: join(SHOTS, 'editing-last.png') }).catch(() => undefined);
  await studio?.close();
});

const onDisk = (name: string) => readFileSync(join(studio.workspace, name), 'utf8');
const childIds = (text: string) => (JSON.parse(text).model.children as { id: string }[]).map((c) => c.id).join();
const docState = (name: string) => studio.report()?.documents.find((d) => d.file === name);
/** The ids of the canvas's nodes from top to bottom (a Sequential is drawn as a vertical chain). */
async function canvasOrder(frame: Frame, ids: string[]): Promise<string> {
  const ys = await Promise.all(ids.map(async (id) => ({ id, y: (await frame.locator(`[data-testid=node-${id}]`).boundingBox())?.y ?? NaN })));
  return ys.sort((a, b) => a.y - b.y).map((v) => v.id).join();
}

test('quick successive edits all reach the document, in order', async () => {
  await studio.open('spiral.nnb.json');
  const frame = await studio.webview();
  await frame.locator('[data-testid=node-fc1]').click();
  // Two reorders sent back to back: the second must apply to the result of the first.
  await studio.page.keyboard.press('Alt+ArrowDown');
  await studio.page.keyboard.press('Alt+ArrowDown');
  await waitFor('the document to be dirty', () => docState('spiral.nnb.json')?.dirty || undefined, 15000);
  await studio.page.keyboard.press('Control+s');
  await waitFor('the file on disk to hold both moves', () => (childIds(onDisk('spiral.nnb.json')) === 'tanh1,fc2,fc1' ? true : undefined), 15000).catch((e: Error) => {
    throw new Error(`${e.message}; on disk: ${childIds(onDisk('spiral.nnb.json'))}`);
  });
  await waitFor('the canvas to show them', async () => ((await canvasOrder(frame, ['fc1', 'tanh1', 'fc2'])) === 'tanh1,fc2,fc1' ? true : undefined), 10000);
});
