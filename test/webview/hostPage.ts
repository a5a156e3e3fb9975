/**
 * The host page of the webview tests: the real webview bundle (dist/webview/editor.{js,css}) loaded beside
 * a stand-in for VS Code (fakeHost.ts, bundled here with esbuild) and a VS Code colour theme.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import type { Page } from 'playwright-core';
import { THEMES, type ThemeName } from './theme';

const ROOT = resolve(__dirname, '../..');
const DIST = join(ROOT, 'dist/webview');
let dir: string | undefined;

function prepare(): string {
  if (dir) return dir;
  if (!existsSync(join(DIST, 'editor.js'))) execFileSync(process.execPath, [join(ROOT, 'scripts/build-bundles.mjs')], { stdio: 'inherit' });
  dir = mkdtempSync(join(tmpdir(), 'nnb-hostpage-'));
  buildSync({ entryPoints: [join(__dirname, 'fakeHost.ts')], bundle: true, format: 'iife', platform: 'browser', outfile: join(dir, 'fakeHost.js'), logLevel: 'error' });
  return dir;
}

/** Opens the editor on `text` in `theme`; resolves when the webview has rendered (or shown its error view). */
export async function openEditor(page: Page, text: string, theme: ThemeName = 'dark', fileName = 'model.nnb.json', trusted = true): Promise<void> {
  const d = prepare();
  const t = THEMES[theme];
  const vars = Object.entries(t.vars).map(([k, v]) => `${k}: ${v};`).join(' ');
  const html = `<!DOCTYPE html><html><head><meta charset="utf-8">
<style>html { ${vars} }</style>
<link rel="stylesheet" href="file://${DIST}/editor.css">
<script>window.__initialText = ${JSON.stringify(text).replace(/</g, '\\u003c')}; window.__fileName = ${JSON.stringify(fileName)}; window.__trusted = ${trusted};</script>
<script src="fakeHost.js"></script>
</head><body class="${t.bodyClass}"><div id="root"></div><script src="file://${DIST}/editor.js"></script></body></html>`;
  const file = join(d, `host-${theme}-${Date.now()}-${Math.random().toString(36).slice(2)}.html`);
  writeFileSync(file, html);
  await page.goto(`file://${file}`);
  await page.waitForSelector('.react-flow__node, [data-testid=error-view]', { timeout: 15000 });
}

/** Messages the webview sent to the host, of one type. */
export async function sent(page: Page, type?: string): Promise<Record<string, unknown>[]> {
  const all = (await page.evaluate(() => (window as unknown as { __sent: unknown[] }).__sent)) as Record<string, unknown>[];
  return type === undefined ? all : all.filter((m) => m.type === type);
}

export async function hostText(page: Page): Promise<string> {
  return page.evaluate(() => (window as unknown as { __text: string }).__text);
}
