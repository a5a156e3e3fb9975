/**
 * The host page of the webview tests: the real webview bundle (dist/webview/editor.{js,css}) loaded beside
 * a stand-in for VS Code (fakeHost.ts, bundled here with esbuild) and a VS Code colour theme, under the
 * extension's own Content-Security-Policy (file: standing in for VS Code's webview resource origin), so
 * anything the policy would block in VS Code is blocked here too; fakeHost records each violation.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { buildSync } from 'esbuild';
import type { Page } from 'playwright-core';
import { contentSecurityPolicy } from '../../extension/editor/csp';
import { THEMES, type ThemeName } from './theme';

const ROOT = resolve(__dirname, '../..');
const DIST = join(ROOT, 'dist/webview');
let dir: string | undefined;

function prepare(): string {
  if (dir) return dir;
  if (!existsSync(join(DIST, 'editor.js'))) execFileSync(process.execPath, [join(ROOT, 'scripts/build-bundles.mjs')], { stdio: 'inherit' });
  dir = mkdtempSync(join(tmpdir(), 'nnb-hostpage-'));
  buildSync({
    entryPoints: [join(__dirname, 'fakeHost.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    outfile: join(dir, 'fakeHost.js'),
    logLevel: 'error',
  });
  return dir;
}

/**
 * Opens the editor on `text` in `theme`; resolves when the webview has rendered (or shown its error view).
 * `state` is what the webview saved with setState before (VS Code hands it back after a reload).
 */
export async function openEditor(
  page: Page,
  text: string,
  theme: ThemeName = 'dark',
  fileName = 'model.nnb.json',
  trusted = true,
  state?: unknown,
): Promise<void> {
  const d = prepare();
  const t = THEMES[theme];
  const vars = Object.entries(t.vars)
    .map(([k, v]) => `${k}: ${v};`)
    .join(' ');
  const nonce = randomBytes(16).toString('base64');
  const json = (v: unknown) => JSON.stringify(v ?? null).replace(/</g, '\\u003c');
  const html = `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy('file:', nonce)}">
<style>html { ${vars} }</style>
<link rel="stylesheet" href="file://${DIST}/editor.css">
<script nonce="${nonce}">window.__initialText = ${json(text)}; window.__fileName = ${json(fileName)}; window.__trusted = ${trusted}; window.__state = ${json(state)};</script>
<script nonce="${nonce}" src="fakeHost.js"></script>
</head><body class="${t.bodyClass}"><div id="root"></div><script nonce="${nonce}" src="file://${DIST}/editor.js"></script></body></html>`;
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

/** Content-Security-Policy violations the page reported (fakeHost listens for them). */
export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
}
