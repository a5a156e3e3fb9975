/**
 * The setup of a browser test that trains: headless Chromium with one page, a work folder for the model
 * and its runs, the page's errors collected, and, after the file's tests, the run in progress stopped and
 * everything closed. The test attaches the training host (trainingBridge.ts) once it has written its model.
 */
import { after, before } from 'node:test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser } from './browser';
import type { TrainingBridge } from './trainingBridge';

export const SHOTS = join(__dirname, '../../test-results/webview');

export interface TrainingPage {
  page: Page;
  work: string;
  pageErrors: string[];
  bridge: TrainingBridge | null;
}

/** Registers the file's before/after hooks; the fields are set once `before` has run. */
export function useTrainingPage(prefix: string, viewport: { width: number; height: number }): TrainingPage {
  const t: TrainingPage = { page: null as unknown as Page, work: '', pageErrors: [], bridge: null };
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    t.work = mkdtempSync(join(tmpdir(), `nnb-${prefix}-`));
    browser = await launchBrowser(viewport);
    t.page = await browser.context.newPage();
    t.page.on('pageerror', (e) => t.pageErrors.push(e.message));
  });
  after(async () => {
    await t.bridge?.close();
    await browser?.close();
    if (t.work !== '') rmSync(t.work, { recursive: true, force: true });
  });
  return t;
}
