/**
 * Workspace Trust in a real VS Code (code-server in Restricted Mode): the extension activates, the model
 * opens as a graph and can be edited and saved, and everything that runs code is off with an
 * explanation: the Training tab; Train, Resume, Evaluate and Predict are not offered. Trusting the
 * workspace then turns training on in the editor already open.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../helpers/poll';
import { saveFailures, startStudio, type Studio } from './codeServer';

const SHOTS = join(__dirname, '../../test-results/vscode');
let studio: Studio;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  studio = await startStudio({ untrusted: true });
});
saveFailures('trust', () => studio);
after(async () => studio?.close());

test('in Restricted Mode the graph opens and edits; training is off with an explanation', async () => {
  assert.equal(studio.report()?.trusted, false, 'the workspace is not trusted');
  await studio.open('flower.nnb.json');
  const frame = await studio.webview();
  await frame.locator('[data-testid=node-tanh1]').click();
  await frame.getByTestId('palette-ReLU').dblclick();
  await waitFor('the edit to reach the document', () => studio.report()?.documents.find((d) => d.file === 'flower.nnb.json')?.dirty || undefined, {
    timeoutMs: 15000,
  });
  await studio.page.keyboard.press('Control+s');
  const file = join(studio.workspace, 'flower.nnb.json');
  await waitFor('the file on disk to hold the ReLU', () => (readFileSync(file, 'utf8').includes('"op": "ReLU"') ? true : undefined), {
    timeoutMs: 15000,
  });

  await frame.getByTestId('tab-training').click();
  assert.match(await frame.getByTestId('untrusted').innerText(), /Training runs code on this machine[\s\S]*Trust the workspace to train/);
  assert.equal(await frame.getByTestId('train-button').count(), 0);
  await studio.page.screenshot({ path: join(SHOTS, 'untrusted.png') });

  // NN Blocks: Train needs trust (its enablement): disabled on the editor's title bar, absent from the palette.
  const train = studio.page.locator('.editor-actions .action-label[aria-label="Train"]');
  assert.equal(await train.getAttribute('aria-disabled'), 'true');
  const offered = async (query: string): Promise<string[]> => {
    const labels = await studio.commandsOffered(query);
    assert.ok(labels.length < 10, 'few enough rows that the list shows them all');
    return labels;
  };
  assert.ok((await offered('NN Blocks: Generate TypeScript')).includes('NN Blocks: Generate TypeScript'), 'generating code stays available');
  for (const title of ['Train', 'Resume Run', 'Evaluate Run', 'Predict with Run']) {
    const labels = await offered(`NN Blocks: ${title}`);
    assert.ok(!labels.includes(`NN Blocks: ${title}`), `NN Blocks: ${title} is offered: ${labels.join(' | ')}`);
  }
  await studio.page.keyboard.press('Escape');
});

test('trusting the workspace while the editor is open turns training on in it, with live progress', async () => {
  await studio.command('Workspaces: Manage Workspace Trust');
  await studio.page
    .locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ })
    .first()
    .click({ timeout: 15000 });
  await waitFor('the workspace to be trusted', () => (studio.report()?.trusted === true ? true : undefined), { timeoutMs: 15000 });
  await studio.focusEditor('flower.nnb.json');
  const frame = await studio.webview('[data-testid=node-fc1]');
  await frame.getByTestId('tab-training').click();
  const train = frame.getByTestId('train-button');
  await train.waitFor({ timeout: 15000 });
  await waitFor('Train to be enabled', async () => ((await train.isDisabled()) ? undefined : true), { timeoutMs: 15000 });
  await train.click();
  // The chart fills from the run's progress, which reaches the panel only if it joined training on trust.
  await waitFor(
    'the loss chart to fill',
    async () =>
      Number(
        await frame
          .getByTestId('chart-loss')
          .getAttribute('data-points')
          .catch(() => '0'),
      ) >= 3
        ? true
        : undefined,
    { timeoutMs: 60000 },
  );
  await frame.getByTestId('training-result').waitFor({ timeout: 120000 });
  await studio.page.screenshot({ path: join(SHOTS, 'trusted-later.png') });
});
