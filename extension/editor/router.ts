/**
 * The one place a webview message is acted on: parsed against the protocol's schemas, then one switch
 * over its type. A message that does not parse is logged to the "NN Blocks" channel with what was wrong
 * (and an edit is answered with the document as it is, so the canvas shows the truth again), never
 * dropped silently.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { parseWebviewMessage, preview } from '../../protocol/messages';
import type { HostCommand } from '../../protocol/editor';
import type { Training } from '../training/register';
import type { Log } from '../log';
import type { DocumentEdits } from './edits';
import type { EditorPanel, PanelRegistry } from './panels';
import type { UiStateStore } from './ui_store';

export interface RouterContext {
  document: vscode.TextDocument;
  panel: EditorPanel;
  panels: PanelRegistry;
  edits: DocumentEdits;
  uiState: UiStateStore;
  log: Log;
  training: () => Training | undefined;
  runCommand: (command: HostCommand, uri: vscode.Uri) => void;
  /** Sends this panel the document as it is now. */
  sendDocument: () => void;
  sendTrust: () => void;
  /** Sends this panel the settings its analysis follows. */
  sendSettings: () => void;
}

/** An edit's number read from a message that did not parse, so the panel still hears it was answered. */
function rawSeq(msg: unknown): number | undefined {
  const seq = typeof msg === 'object' && msg !== null ? (msg as { seq?: unknown }).seq : undefined;
  return typeof seq === 'number' && Number.isInteger(seq) ? seq : undefined;
}

export function routeMessage(ctx: RouterContext, msg: unknown): void {
  const { document, panel, log } = ctx;
  const file = path.basename(document.uri.fsPath);
  const parsed = parseWebviewMessage(msg);
  if (!parsed.ok) {
    log.warn(`${file}: ignored a message from the graph editor: ${parsed.problem} (${preview(msg)})`);
    const seq = rawSeq(msg);
    if (typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === 'edit') {
      if (seq !== undefined) panel.lastEdit = Math.max(panel.lastEdit, seq);
      panel.post({ type: 'editRefused', reason: `the edit was not understood: ${parsed.problem}` });
      ctx.sendDocument();
    }
    return;
  }
  const m = parsed.message;
  switch (m.type) {
    case 'ready':
      // A new page: its edits count from 1 again. The state the host kept comes before the document,
      // so the first graph drawn already has its positions and collapsed groups.
      panel.lastEdit = 0;
      ctx.sendTrust();
      ctx.sendSettings();
      panel.post({ type: 'uiState', state: ctx.uiState.get(document.uri) });
      ctx.sendDocument();
      panel.ready = true;
      if (panel.pendingReveal !== undefined) panel.post({ type: 'reveal', id: panel.pendingReveal });
      panel.pendingReveal = undefined;
      break;
    case 'edit': {
      // The webview applied the edit optimistically: when the host refuses it, the truth goes back. An
      // edit that changed nothing produces no change event, so it is answered here too.
      let versionAtStart = -1;
      const answer = (reason: string | null) => {
        if (reason !== null) {
          log.warn(`${file}: refused the edit ${m.op.kind}: ${reason}`);
          panel.post({ type: 'editRefused', reason });
        }
        if (reason !== null || document.version === versionAtStart) ctx.sendDocument();
      };
      ctx.edits
        .apply(document, m.op, () => {
          panel.lastEdit = m.seq;
          versionAtStart = document.version;
        })
        .then(answer, (e: unknown) => answer(`the edit failed: ${(e as Error).message}`));
      break;
    }
    case 'command':
      ctx.runCommand(m.command, document.uri);
      break;
    case 'uiState':
      void Promise.resolve(ctx.uiState.set(document.uri, m.state)).catch((e: unknown) =>
        log.error(`${file}: could not keep the editor's state: ${(e as Error).message}`),
      );
      break;
    case 'webviewError':
      log.error(`${file}: the graph editor failed: ${m.message}`);
      break;
    default: {
      // Every other message is the training panel's ('training/*').
      if (!vscode.workspace.isTrusted) {
        log.warn(`${file}: refused ${m.type}: the workspace is not trusted`);
        panel.post({ type: 'editRefused', reason: 'Training runs code on this machine: trust this workspace to train.' });
        return;
      }
      const training = ctx.training();
      if (training === undefined) {
        log.error(`${file}: ${m.type} arrived before training was set up`);
        return;
      }
      training.handleMessage(document.uri, m);
    }
  }
}
