/**
 * A click on an NN Blocks entry in VS Code's Problems panel shows its node selected in the graph editor
 * (issue 14.8), in a real VS Code (code-server, see codeServer.ts): through the entry's code (the node's id,
 * a link). A click on the entry's message reaches no extension (reveal_node.ts). The test edits its own copy
 * of the spiral example, broken at fc2.
 */
import { after, before, test } from 'node:test';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { waitFor } from '../helpers/poll';
import { RESULTS, saveFailures, startStudio, type Studio } from './codeServer';

let studio: Studio;
before(async () => {
  studio = await startStudio();
});
saveFailures('problems', () => studio);
after(async () => studio?.close());

/** A copy of the spiral example whose fc2 expects `n` input features (it gets 4): one error, on fc2, whose entry `n` tells apart. */
function brokenCopy(as: string, n: number): string {
  const file = studio.copyExample('flower.nnb.json', as);
  const p = join(studio.workspace, file);
  writeFileSync(p, readFileSync(p, 'utf8').replace('"inFeatures": 4', `"inFeatures": ${n}`));
  return file;
}

/** Whether the canvas shows `id`, and only it, selected (beside the text the inspector folds away, so the canvas says it). */
const selectedIs = async (frame: Frame, id: string) =>
  (await frame.locator('.react-flow__node.selected').count()) === 1 &&
  (await frame.locator(`.react-flow__node.selected [data-testid=node-${id}]`).count()) === 1;

/** Opens `file` in the graph editor with fc1 selected, and the Problems panel showing fc2's entry. */
async function openWithFc1Selected(file: string, n: number) {
  await studio.open(file);
  const frame = await studio.webview('[data-testid=node-fc1]');
  await frame.locator('[data-testid=node-fc1]').click();
  await waitFor('fc1 selected', () => selectedIs(frame, 'fc1'));
  await waitFor(`the diagnostic of ${file}`, () => studio.report()?.diagnostics.find((d) => d.file === file && d.messages.length > 0), {
    timeoutMs: 20000,
  });
  await studio.page.keyboard.press('Control+Shift+M');
  const entry = studio.page.locator('.markers-panel .monaco-list-row', { hasText: `expects ${n} input features` }).first();
  await entry.waitFor({ timeout: 15000 });
  return { frame, entry };
}

async function assertFc2Selected(): Promise<void> {
  await waitFor(
    'fc2 shown selected in the graph editor',
    async () => {
      const frame = await studio.webview('[data-testid=node-fc2]');
      return selectedIs(frame, 'fc2');
    },
    { timeoutMs: 20000 },
  );
}

test("the entry's code, the node's id, selects the node in the graph editor", async () => {
  const { entry } = await openWithFc1Selected(brokenCopy('problems-code.nnb.json', 7), 7);
  await entry.getByText('fc2', { exact: true }).click();
  await assertFc2Selected();
  await studio.page.screenshot({ path: join(RESULTS, 'problems-code.png') });
});

test("the entry's code selects the node when the model's graph editor is hidden behind another (its page kept)", async () => {
  const { entry } = await openWithFc1Selected(brokenCopy('problems-hidden.nnb.json', 9), 9);
  // Another model in front: the first one's page is hidden but kept (nnblocks.keepHiddenEditorsLoaded), so it
  // sends no new 'ready' when shown again; the reveal must still reach it.
  await studio.open(studio.copyExample('two_branch.nnb.json', 'problems-front.nnb.json'));
  await studio.webview('[data-testid=node-layer1]');
  await studio.page.keyboard.press('Control+Shift+M');
  await entry.waitFor({ timeout: 15000 });
  await entry.getByText('fc2', { exact: true }).click();
  await assertFc2Selected();
});
