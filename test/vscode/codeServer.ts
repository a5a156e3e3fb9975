/**
 * A real VS Code for the extension tests: code-server 4.100.3 (installed by scripts/install-code-server.sh
 * into .tools/) started on 127.0.0.1 with this repository linked into its extensions folder as the NN Blocks
 * extension and a temporary workspace holding copies of examples/, driven from headless Chromium.
 * Everything lives in one temporary folder that `close()` removes, after killing code-server's whole
 * process group (it is started detached, so the extension host and the training worker go with it).
 * NNB_KEEP=1 keeps that folder (code-server's logs are in <tmp>/data/logs) for debugging.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { waitFor } from '../helpers/poll';
import { launchBrowser } from '../webview/browser';

export const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, '.tools/code-server/node_modules/.bin/code-server');

/** What extension/hostTestReport.ts writes (NNB_HOST_TEST_OUT). */
export interface HostReport {
  at: string;
  /** The extension host that wrote it: a window reload starts a new one. */
  host: { pid: number; startedAt: string };
  trusted: boolean;
  activeModel: string | null;
  commands: string[];
  diagnostics: { file: string; messages: { line: number; severity: number; message: string }[] }[];
  documents: { file: string; dirty: boolean; version: number }[];
}

export interface Studio {
  page: Page;
  /** The temporary workspace folder (copies of examples/ and .vscode/settings.json). */
  workspace: string;
  port: number;
  /** Runs a command by its palette title ("NN Blocks: Export ONNX"), retrying while the extension starts. */
  command(title: string): Promise<void>;
  /**
   * A fresh copy of examples/<example> in the workspace, named `as`, for one test to open and edit, so that
   * no test sees another's edits (or its failure). Returns `as`, the path to open.
   */
  copyExample(example: string, as: string): string;
  /** The command titles the palette offers for `query`, once it has filtered (it says how many it found); the palette is left open. */
  commandsOffered(query: string): Promise<string[]>;
  /** Opens a workspace file through Quick Open (Ctrl+P). */
  open(relativePath: string): Promise<void>;
  /** Picks the row labelled exactly `label` in the quick pick a command opened. */
  pick(label: string): Promise<void>;
  /** Answers the input box a command opened with `text` (replacing its default) and Enter. */
  answer(text: string): Promise<void>;
  /** Brings an open editor to the front by clicking its tab. */
  focusEditor(title: string): Promise<void>;
  /** The innermost frame of the active webview (two iframes deep: iframe.webview.ready, iframe#active-frame), showing `selector` when given. */
  webview(showing?: string): Promise<Frame>;
  /** What the extension host's test reporter last wrote, or null before its first write. */
  report(): HostReport | null;
  /** code-server's stdout and stderr so far. */
  log(): string;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

/** code-server installed, and the WASM kernels and bundles in dist/ built and newer than the sources. */
export function ensureBuilt(): void {
  execFileSync('bash', [join(ROOT, 'scripts/install-code-server.sh')], { stdio: 'inherit' });
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-if-stale.mjs')], { stdio: 'inherit', cwd: ROOT });
}

/**
 * The innermost frame of the visible webview: iframe.webview.ready, then iframe#active-frame holding
 * #root, and `showing` when given (right after switching editors, the one going away may still be up).
 */
export async function webviewFrame(page: Page, showing = '#root', timeoutMs = 30000): Promise<Frame> {
  return waitFor(
    `the editor webview showing ${showing}`,
    async () => {
      for (const outer of page.frames()) {
        const el = await outer.frameElement().catch(() => null);
        if (!el || !(await el.evaluate((e) => (e as Element).classList.contains('webview') && (e as Element).classList.contains('ready')))) continue;
        if (!(await el.isVisible())) continue;
        for (const inner of outer.childFrames()) {
          const id = await (await inner.frameElement().catch(() => null))?.getAttribute('id');
          if (id === 'active-frame' && (await inner.locator('#root').count()) > 0 && (await inner.locator(showing).count()) > 0) return inner;
        }
      }
      return undefined;
    },
    { timeoutMs, everyMs: 300 },
  );
}

/** Where the real-VS-Code tests leave their screenshots and, for a failed test, its evidence. */
export const RESULTS = join(ROOT, 'test-results/vscode');

/**
 * Registers an afterEach hook in the calling test file: when a test fails, the workbench's screenshot, the
 * visible webview's DOM (or a note that none showed), the workbench's DOM, the host report and the tail of
 * code-server's log go to test-results/vscode/<file>--<test>.* , so a failure on CI can be read afterwards.
 */
export function saveFailures(file: string, studio: () => Studio | undefined): void {
  afterEach(async (t) => {
    const s = studio();
    // TestContext.passed is there at run time (Node >= 20.12) but not in @types/node 20's typings.
    if (s === undefined || !('passed' in t) || t.passed !== false) return;
    const stem = join(RESULTS, `${file}--${t.name.replace(/[^\w.-]+/g, '-').slice(0, 80)}`);
    mkdirSync(RESULTS, { recursive: true });
    await s.page.screenshot({ path: `${stem}.png` }).catch((e: Error) => writeFileSync(`${stem}.png.txt`, e.message));
    const frame = await webviewFrame(s.page, '#root', 2000).catch(() => undefined);
    writeFileSync(
      `${stem}.webview.html`,
      frame ? await frame.content().catch((e: Error) => `<!-- ${e.message} -->`) : '<!-- no editor webview was showing -->',
    );
    writeFileSync(`${stem}.workbench.html`, await s.page.content().catch((e: Error) => `<!-- ${e.message} -->`));
    writeFileSync(`${stem}.host-report.json`, JSON.stringify(s.report(), null, 2));
    writeFileSync(`${stem}.code-server.log`, s.log().split('\n').slice(-200).join('\n'));
    console.log(`failure evidence of "${t.name}": ${stem}.{png,webview.html,workbench.html,host-report.json,code-server.log}`);
  });
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Starts code-server on a copy of examples/ and opens its workbench in headless Chromium. */
export interface StudioOptions {
  settings?: Record<string, unknown>;
  viewport?: { width: number; height: number };
  /** Install this .vsix (as a user would) instead of linking the repository as the extension. */
  vsix?: string;
  /** Open the workspace in Restricted Mode (Workspace Trust on, the folder not trusted, no prompt). */
  untrusted?: boolean;
}

/** The VS Code settings every test studio runs with; `untrusted` opens the folder in Restricted Mode. */
export function userSettings(untrusted: boolean): Record<string, unknown> {
  return {
    // A file changes on disk only when a test saves it.
    'files.autoSave': 'off',
    // Nothing comes back from an earlier window (no restored dirty editors between tests).
    'files.hotExit': 'off',
    'window.restoreWindows': 'none',
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    // Workspace Trust: off (the folder is trusted) unless the test asks for Restricted Mode, and never a prompt.
    'security.workspace.trust.enabled': untrusted,
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.untrustedFiles': 'open',
    'security.workspace.trust.banner': 'never',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'telemetry.telemetryLevel': 'off',
    'git.enabled': false,
  };
}

export async function startStudio(options: StudioOptions = {}): Promise<Studio> {
  ensureBuilt();
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  const base = mkdtempSync(join(tmpdir(), 'nnb-vscode-'));
  const dirs = { home: join(base, 'home'), data: join(base, 'data'), ext: join(base, 'extensions'), ws: join(base, 'workspace') };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  if (options.vsix === undefined) symlinkSync(ROOT, join(dirs.ext, `${pkg.publisher}.${pkg.name}-${pkg.version}`), 'dir');
  else {
    execFileSync(BIN, ['--install-extension', options.vsix, '--force', '--extensions-dir', dirs.ext, '--user-data-dir', dirs.data], {
      env: { ...process.env, HOME: dirs.home, XDG_CONFIG_HOME: join(dirs.home, '.config'), XDG_DATA_HOME: join(dirs.home, '.local/share') },
      stdio: 'pipe',
    });
  }
  for (const name of readdirSync(join(ROOT, 'examples'))) {
    if (name.endsWith('.nnb.json')) cpSync(join(ROOT, 'examples', name), join(dirs.ws, name));
  }
  // Every setting the tests rely on is written here rather than left to code-server's defaults (its web
  // workbench saves after a delay by default, which made Revert race a save): the user's settings hold the
  // application-wide ones (trust is read only there), the workspace's the options' own.
  mkdirSync(join(dirs.data, 'User'), { recursive: true });
  writeFileSync(join(dirs.data, 'User/settings.json'), JSON.stringify(userSettings(options.untrusted === true), null, 2));
  mkdirSync(join(dirs.ws, '.vscode'));
  writeFileSync(join(dirs.ws, '.vscode/settings.json'), JSON.stringify(options.settings ?? {}, null, 2));
  const reportFile = join(base, 'host-report.json');
  const port = await freePort();
  let output = '';
  const child: ChildProcess = spawn(
    BIN,
    [
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      ...(options.untrusted ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      '--user-data-dir',
      dirs.data,
      '--extensions-dir',
      dirs.ext,
      dirs.ws,
    ],
    {
      cwd: base,
      env: {
        ...process.env,
        HOME: dirs.home,
        XDG_CONFIG_HOME: join(dirs.home, '.config'),
        XDG_DATA_HOME: join(dirs.home, '.local/share'),
        XDG_CACHE_HOME: join(dirs.home, '.cache'),
        NNB_HOST_TEST_OUT: reportFile,
      },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  let exited = false;
  child.on('exit', () => (exited = true));
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    process.off('exit', onExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await browser?.close().catch(() => undefined);
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    // Waits on the exit signal; the timer only bounds the wait, for a process group SIGKILL has already ended
    // whose 'exit' Node may not report when the child was detached.
    if (!exited)
      await new Promise((r) => {
        child.once('exit', r);
        setTimeout(r, 3000);
      });
    if (!process.env.NNB_KEEP) rmSync(base, { recursive: true, force: true, maxRetries: 3 });
  };
  // A test runner killed by Ctrl+C or a timeout must not leave code-server behind.
  const onExit = () => {
    try {
      if (!closed && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    onExit();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('exit', onExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const up = await waitFor(
      'code-server /healthz',
      async () => {
        if (exited) return 'exited';
        return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok ? 'up' : undefined;
      },
      { timeoutMs: 60000, everyMs: 250 },
    );
    if (up === 'exited') throw new Error('code-server exited before answering /healthz');
    browser = await launchBrowser(options.viewport ?? { width: 1500, height: 950 });
    const page = await browser.context.newPage();
    page.setDefaultTimeout(30000);
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.ws)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });

    const report = (): HostReport | null => {
      try {
        return JSON.parse(readFileSync(reportFile, 'utf8')) as HostReport;
      } catch {
        return null;
      }
    };
    // The extension is active once its reporter has written (activation event: workspaceContains *.nnb.json).
    await waitFor('the NN Blocks extension to activate (host test report)', () => (report() ? true : undefined), { timeoutMs: 60000 });

    const quickInput = async (open: 'F1' | 'Control+P', text: string) => {
      const input = page.locator('.quick-input-widget input[type=text], .quick-input-widget input.input').first();
      if (await input.isVisible().catch(() => false)) await page.keyboard.press('Escape');
      await page.keyboard.press(open);
      await input.waitFor({ state: 'visible', timeout: 5000 });
      // An editor opening (a command's output, say) can close the palette again: fail fast and retry.
      await input.fill(text, { timeout: 3000 });
    };
    /** The quick-input row whose label is exactly `label` (so "Export ONNX" does not pick "Export ONNX with Run Weights"). */
    const row = (label: string) =>
      page
        .locator('.quick-input-list .monaco-list-row')
        .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }) })
        .first();

    return {
      page,
      workspace: dirs.ws,
      port,
      report,
      log: () => output,
      close,
      copyExample(example: string, as: string) {
        cpSync(join(ROOT, 'examples', example), join(dirs.ws, as));
        return as;
      },
      async command(title: string) {
        await waitFor(
          `command "${title}" in the command palette`,
          async () => {
            await quickInput('F1', `>${title}`);
            const r = row(title);
            if (
              !(await r.waitFor({ state: 'visible', timeout: 2000 }).then(
                () => true,
                () => false,
              ))
            )
              return undefined;
            await r.click();
            return true;
          },
          { timeoutMs: 30000, everyMs: 500 },
        );
      },
      async commandsOffered(query: string) {
        // A key press that reaches the page while a webview has the focus can be lost: open and retry.
        return waitFor(
          `the palette to filter "${query}"`,
          async () => {
            await quickInput('F1', `>${query}`);
            const count = page.locator('.quick-input-widget .quick-input-count, .quick-input-widget [aria-live]', { hasText: /\d+ Results?/ });
            if (
              !(await count
                .first()
                .waitFor({ state: 'visible', timeout: 3000 })
                .then(
                  () => true,
                  () => false,
                ))
            )
              return undefined;
            return page.locator('.quick-input-list .monaco-list-row .label-name').allInnerTexts();
          },
          { timeoutMs: 30000, everyMs: 500 },
        );
      },
      async open(relativePath: string) {
        const name = relativePath.split('/').pop() as string;
        await waitFor(
          `${relativePath} in Quick Open`,
          async () => {
            await quickInput('Control+P', relativePath);
            const r = row(name);
            if (
              !(await r.waitFor({ state: 'visible', timeout: 2000 }).then(
                () => true,
                () => false,
              ))
            )
              return undefined;
            await r.click();
            return true;
          },
          { timeoutMs: 30000, everyMs: 500 },
        );
      },
      async pick(label: string) {
        await row(label).click({ timeout: 15000 });
      },
      async answer(text: string) {
        const input = page.locator('.quick-input-widget input[type=text], .quick-input-widget input.input').first();
        await input.waitFor({ state: 'visible', timeout: 15000 });
        await input.fill(text);
        await input.press('Enter');
      },
      async focusEditor(title: string) {
        await page
          .locator('.tabs-container .tab', { has: page.locator('.label-name', { hasText: title }) })
          .first()
          .click();
      },
      webview: (showing?: string) => webviewFrame(page, showing),
    };
  } catch (e) {
    const tail = output.split('\n').slice(-30).join('\n');
    await close();
    throw new Error(`${(e as Error).message}\ncode-server output:\n${tail}`);
  }
}
