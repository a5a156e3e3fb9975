/**
 * What the browser tests do on the editor page, as a user would: find a node, drag with the mouse, read
 * the document the stand-in host holds, wait for the host to get a change.
 */
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import type { ModelDocument } from '../../engine/graph';
import { hostText } from './hostPage';

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
  await page.waitForFunction(
    ([n, not]) => (window as unknown as { __text: string }).__text.includes(n as string) !== not,
    [needle, absent] as const,
  );
}
