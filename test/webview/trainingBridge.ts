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
import { installFakeVscode, fakeContext, Uri } from '../train/fake_vscode';
import { hostText } from './hostPage';

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
  const post = (m: HostToPanel) => {
    bridge.posted.push(m);
    if (m.type === 'training/result') bridge.results.push(m.result);
    void page.evaluate((msg) => window.postMessage(msg, '*'), m as unknown).catch(() => undefined);
  };
  // The page is the model's one open editor: what the host sends to the model's panels goes to it.
  const panels = { has: () => true, postAll: (_uri: unknown, m: HostToPanel) => post(m) };
  const training = registerTraining(context, { panels, getDocument: () => (documentText === undefined ? undefined : JSON.parse(documentText)) });
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
