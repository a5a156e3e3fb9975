/**
 * Models in text tabs when the extension starts (extension/editor/early_open.ts), in a real VS Code
 * (code-server, see codeServer.ts): a model the user reopened as text (View: Reopen Editor With... >
 * Text Editor) is not switched back to the graph, neither while the window runs nor when a window reload
 * restores its tab before the extension starts again; reopening it with the graph editor takes the
 * choice back. A text tab that was text only through `workbench.editorAssociations` is reopened with the
 * graph editor once the setting is gone and a reload restores it before the extension starts: the path
 * a click that beats VS Code's extension scan takes, which a test cannot force (the rule's cases are
 * test/extension/early_open_rule.test.ts).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../helpers/poll';
import { RESULTS, saveFailures, startStudio, type HostReport, type Studio } from './codeServer';

let studio: Studio;

before(async () => {
  mkdirSync(RESULTS, { recursive: true });
  studio = await startStudio();
});
saveFailures('early_open', () => studio);
after(async () => studio?.close());

const FILE = 'early.nnb.json';
/** The host report with the last lines of the NN Blocks log and the settings it reads (extension/hostTestReport.ts). */
const report = () => studio.report() as (HostReport & { log?: string[]; settings?: Record<string, unknown> }) | null;
/** Writes the workspace's settings and waits until the extension host reads `editorAssociations` as given. */
async function associate(associations: Record<string, string>): Promise<void> {
  writeFileSync(join(studio.workspace, '.vscode/settings.json'), JSON.stringify({ 'workbench.editorAssociations': associations }, null, 2));
  await waitFor(
    'the extension host to read workbench.editorAssociations',
    () => (JSON.stringify(report()?.settings?.['workbench.editorAssociations'] ?? {}) === JSON.stringify(associations) ? true : undefined),
    { timeoutMs: 30000 },
  );
}
/** The active editor group's editor shows the model's JSON as text. */
const textShown = () =>
  studio.page.locator('.editor-group-container.active .monaco-editor .view-lines', { hasText: '"format": "nnblocks.model/1"' }).first();
const logged = (pattern: RegExp, since: number) =>
  waitFor(
    `the NN Blocks log to say ${pattern}`,
    () => {
      const r = report();
      return r !== null && Date.parse(r.host.startedAt) >= since && (r.log ?? []).some((l) => pattern.test(l)) ? true : undefined;
    },
    { timeoutMs: 60000 },
  );

test('a model reopened as text stays text, also when a window reload restores its tab before the extension starts', async () => {
  studio.copyExample('flower.nnb.json', FILE);
  await studio.open(FILE);
  await studio.webview('[data-testid=node-fc1]');

  await studio.command('View: Reopen Editor With...');
  await studio.pick('Text Editor');
  await textShown().waitFor({ timeout: 30000 });
  // A later change of tabs (another editor opening and closing) does not switch it back either.
  await studio.open('flower.nnb.json');
  await studio.webview('[data-testid=node-fc1]');
  await studio.focusEditor(FILE);
  await textShown().waitFor({ timeout: 30000 });

  const reloaded = Date.now();
  await studio.command('Developer: Reload Window');
  // The new extension host found the restored text tab and says why it left it.
  await logged(new RegExp(`${FILE.replace(/\./g, '\\.')}: left in the text editor \\(the text editor was chosen for it\\)`), reloaded);
  await studio.focusEditor(FILE);
  await textShown().waitFor({ timeout: 30000 });
  const log = report()?.log ?? [];
  assert.equal(log.filter((l) => l.includes(`${FILE}: opened as text before NN Blocks started`)).length, 0, log.join('\n'));
  // Nothing failed, and the graph editors took every message from the host (their settings among them).
  assert.deepEqual(
    log.filter((l) => / (error|warn) /.test(l)),
    [],
  );
  await studio.page.screenshot({ path: join(RESULTS, 'early-open-text-kept.png') });

  // Reopening it with the graph editor works as before (and takes the choice back: early_open_rule.test.ts).
  await studio.command('View: Reopen Editor With...');
  await studio.pick('NN Blocks Model Editor');
  await studio.webview('[data-testid=node-fc1]');
});

test('a model that was text only through editorAssociations opens as a graph once the setting is gone and a reload restores its tab', async () => {
  const file = studio.copyExample('flower.nnb.json', 'assoc.nnb.json');
  await associate({ '*.nnb.json': 'default' });
  await studio.open(file);
  await textShown().waitFor({ timeout: 30000 });
  await associate({});

  const reloaded = Date.now();
  await studio.command('Developer: Reload Window');
  await logged(/assoc\.nnb\.json: opened as text before NN Blocks started: reopened with the graph editor/, reloaded);
  await studio.webview('[data-testid=node-fc1]');
  const tabs = studio.page.locator('.tabs-container .tab', { has: studio.page.locator('.label-name', { hasText: 'assoc.nnb.json' }) });
  assert.equal(await tabs.count(), 1, 'the text tab gave way to the graph editor, not a second tab beside it');
  await studio.page.screenshot({ path: join(RESULTS, 'early-open-reopened.png') });
});
