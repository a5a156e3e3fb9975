/**
 * The extension host's training side for the browser tests: the webview's 'training/*' messages reach
 * Node through a Playwright binding, which starts real runs on a worker thread (engine/train/host, as the
 * extension's run manager does) and posts the run's events back to the page as the host would.
 */
import type { Page } from 'playwright-core';
import { startRun, type TrainingRun } from '../../engine/train/host';
import type { RunResult } from '../../engine/train/protocol';
import { gridMessage, infoMessage } from '../../extension/training/convert';
import type { HostToPanel } from '../../webview/training/protocol';
import { hostText } from './hostPage';

export interface TrainingBridge {
  /** Every run started through the page, in order. */
  runs: TrainingRun[];
  /** Every result, in order. */
  results: RunResult[];
  /** Messages received from the page. */
  received: Record<string, unknown>[];
}

export async function attachTrainingBridge(page: Page, modelPath: string, outDir: string): Promise<TrainingBridge> {
  const bridge: TrainingBridge = { runs: [], results: [], received: [] };
  let active: TrainingRun | null = null;
  let last: RunResult | null = null;
  const post = (m: HostToPanel) => page.evaluate((msg) => window.postMessage(msg, '*'), m as unknown).catch(() => undefined);

  await page.exposeFunction('__nnbTrainingHost', async (msg: Record<string, unknown>) => {
    bridge.received.push(msg);
    switch (msg.type) {
      case 'training/ready':
        await post({ type: 'training/state', running: active !== null, info: null, history: [], grid: null, result: last });
        break;
      case 'training/start': {
        // The document as the editor holds it now, like the extension's getDocument.
        const document: unknown = JSON.parse(await hostText(page));
        let run: TrainingRun;
        try {
          run = await startRun({ documentPath: modelPath, document, outDir });
        } catch (e) {
          await post({ type: 'training/error', message: (e as Error).message });
          return;
        }
        active = run;
        bridge.runs.push(run);
        run.on('started', (info) => void post({ type: 'training/started', info: infoMessage(info) }));
        run.on('metrics', (record) => void post({ type: 'training/metrics', record }));
        run.on('grid', (grid) => void post({ type: 'training/grid', grid: gridMessage(grid) }));
        void run.result.then((result) => {
          active = null;
          last = result;
          bridge.results.push(result);
          void post({ type: 'training/result', result });
        });
        break;
      }
      case 'training/stop':
        active?.stop();
        break;
      case 'training/listRuns':
        await post({ type: 'training/runs', runs: [] });
        break;
    }
  });
  return bridge;
}
