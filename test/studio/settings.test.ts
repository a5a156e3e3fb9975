/**
 * The studio's user settings (scripts/studio_settings.mjs): a new studio gets `files.autoSave` off; one
 * made before that default keeps its own lines and comments and gets the setting added; a user's own
 * choice is never overwritten.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

type WriteDefaults = (file: string) => void;
const load = async (): Promise<WriteDefaults> =>
  ((await import(pathToFileURL(resolve(__dirname, '../../scripts/studio_settings.mjs')).href)) as { writeDefaultSettings: WriteDefaults })
    .writeDefaultSettings;
/** VS Code's settings are JSON with comments and trailing commas: enough of that grammar to read them back. */
const readJsonc = (text: string): Record<string, unknown> =>
  JSON.parse(text.replace(/^\s*\/\/.*$/gm, '').replace(/,(\s*[}\]])/g, '$1')) as Record<string, unknown>;

function inTemp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nnb-studio-settings-'));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

test('a new studio writes files.autoSave off with its other defaults', () =>
  inTemp(async (dir) => {
    const file = join(dir, 'User/settings.json');
    (await load())(file);
    const settings = readJsonc(readFileSync(file, 'utf8'));
    assert.equal(settings['files.autoSave'], 'off');
    assert.equal(settings['workbench.startupEditor'], 'none');
  }));

test('an older studio gets files.autoSave off added, its own lines and comments kept', () =>
  inTemp(async (dir) => {
    const file = join(dir, 'settings.json');
    writeFileSync(file, '{\n  // my theme\n  "workbench.colorTheme": "Default Light Modern"\n}\n');
    const write = await load();
    write(file);
    const text = readFileSync(file, 'utf8');
    assert.match(text, /\/\/ my theme/);
    assert.deepEqual(readJsonc(text), { 'files.autoSave': 'off', 'workbench.colorTheme': 'Default Light Modern' });
    write(file);
    assert.equal(readFileSync(file, 'utf8'), text, 'added once');
  }));

test("a user's own files.autoSave is left as it is", () =>
  inTemp(async (dir) => {
    const file = join(dir, 'settings.json');
    const mine = '{ "files.autoSave": "afterDelay" }\n';
    writeFileSync(file, mine);
    (await load())(file);
    assert.equal(readFileSync(file, 'utf8'), mine);
  }));
