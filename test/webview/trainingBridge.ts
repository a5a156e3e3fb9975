/**
 * The extension host's training side for the browser tests: the webview's 'training/*' messages reach
 * Node through a Playwright binding and are handled by the extension's own training host
 * (extension/training/register.ts: the run manager, CSV preview, runs list, Evaluate, Predict, Compare)
 * over a fake `vscode` module; runs train on a worker thread as in the extension. Everything the host
 * posts back goes to the page as the webview panel would receive it.
 */
import type { Page } from 'playwright-core';
import type { RunResult } from '../../engine/train/protocol';
import type { HostToPanel } from '../../protocol/training';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { installFakeVscode, fakeContext, Uri } from '../train/fake_vscode';
import { hostText } from './hostPage';

// The worker the extension ships (built by `npm run build`, as the page's bundle is): run from source, the
// worker would compile the whole engine with tsx on its first run, which on a busy 2-core machine took
// minutes and made the panel's first metrics miss their wait.
const BUILT_WORKER = join(__dirname, '../../dist/extension/train-worker.js');

installFakeVscode();
// Loaded after the fake is in place.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { registerTraining } = require('../../extension/training/register') as typeof import('../../extension/training/register');

export interface TrainingBridge {
  /** Every run result the host posted, in order. */
  results: RunResult[];
  /** Messages received from the page, and every message the host posted to it. */
  received: Record<string, unknown>[];
  posted: HostToPanel[];
  training: ReturnType<typeof registerTraining>;
  /** Stops a run in progress, waits for its result, and disposes the host. */
  close(): Promise<void>;
}

export async function attachTrainingBridge(page: Page, modelPath: string): Promise<TrainingBridge> {
  const context = fakeContext();
  // The document as the editor holds it now (unsaved edits included), read before each message is handled.
  let documentText: string | undefined;
  // Messages reach the page in order, as webview.postMessage delivers them, but through one page.evaluate
  // at a time carrying all that queued meanwhile: one evaluate per message (a run posts dozens a second)
  // piled up thousands of calls on a busy machine, and the page saw its metrics minutes late.
  let queue: unknown[] = [];
  let flushing = false;
  const flush = async () => {
    if (flushing) return;
    flushing = true;
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      await page.evaluate((msgs) => msgs.forEach((msg) => window.postMessage(msg, '*')), batch).catch(() => undefined);
    }
    flushing = false;
  };
  const post = (m: HostToPanel) => {
    bridge.posted.push(m);
    if (m.type === 'training/result') bridge.results.push(m.result);
    queue.push(m);
    void flush();
  };
  // The page is the model's one open editor: what the host sends to the model's panels goes to it.
  const panels = { has: () => true, postAll: (_uri: unknown, m: HostToPanel) => post(m) };
  if (!existsSync(BUILT_WORKER)) throw new Error(`${BUILT_WORKER} is missing: run npm run build first`);
  const training = registerTraining(context, {
    panels,
    workerPath: BUILT_WORKER,
    getDocument: () => (documentText === undefined ? undefined : JSON.parse(documentText)),
  });
  const uri = Uri.file(modelPath) as never;
  const bridge: TrainingBridge = {
    results: [],
    received: [],
    posted: [],
    training,
    close: async () => {
      if (training.manager.isRunning(uri)) {
        const ended = new Promise<void>((resolve) => training.manager.subscribe(uri, (m) => m.type === 'training/result' && resolve()));
        training.manager.stop(uri);
        await ended;
      }
      context.dispose();
    },
  };
  await page.exposeFunction('__nnbTrainingHost', async (msg: Record<string, unknown>) => {
    bridge.received.push(msg);
    documentText = await hostText(page);
    training.handleMessage(uri, msg);
  });
  return bridge;
}
