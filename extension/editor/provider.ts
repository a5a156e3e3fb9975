/**
 * The custom editor for *.nnb.json, following VS Code's custom text editor model: the TextDocument is
 * the only state. The webview gets the text after every change (its own edits, undo/redo, revert, a
 * text editor, the file changing on disk) and sends edit operations back, which become WorkspaceEdits.
 * So dirty state, save, undo, hot exit and git diffs behave as for any text file.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { serializeDocument, validateDocument } from '../../engine/graph';
import { applyEdit, type EditOp } from '../../engine/graph/edits';
import { isWebviewMessage, type HostCommand, type HostMessage } from '../../webview/protocol/messages';
import type { Training } from '../training/register';
import { editorHtml, webviewRoots } from './html';

export const VIEW_TYPE = 'nnblocks.modelEditor';

export class ModelEditorProvider implements vscode.CustomTextEditorProvider {
  /** Open editors by document URI, for commands run from the palette ("the active model"). */
  private readonly panels = new Map<string, { panel: vscode.WebviewPanel; document: vscode.TextDocument }>();
  private active: vscode.Uri | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly runCommand: (command: HostCommand, uri: vscode.Uri) => void,
    private readonly training: () => Training | undefined,
  ) {}

  static register(context: vscode.ExtensionContext, provider: ModelEditorProvider): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(VIEW_TYPE, provider, {
      webviewOptions: { retainContextWhenHidden: false },
      supportsMultipleEditorsPerDocument: true,
    });
  }

  activeModel(): vscode.Uri | undefined {
    return this.active;
  }

  /** The current (possibly unsaved) document of a model open in this editor. */
  documentFor(uri: vscode.Uri): vscode.TextDocument | undefined {
    return this.panels.get(uri.toString())?.document;
  }

  reveal(uri: vscode.Uri, id: string): void {
    const entry = this.panels.get(uri.toString());
    void entry?.panel.webview.postMessage({ type: 'reveal', id } satisfies HostMessage);
  }

  async resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): Promise<void> {
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: webviewRoots(this.context.extensionUri) };
    webview.html = editorHtml(webview, this.context.extensionUri);
    const key = document.uri.toString();
    this.panels.set(key, { panel, document });
    this.active = document.uri;

    const post = (m: HostMessage) => void webview.postMessage(m);
    const sendDocument = () => post({ type: 'document', text: document.getText(), version: document.version, fileName: path.basename(document.uri.fsPath) });
    const sendTrust = () => post({ type: 'trust', trusted: vscode.workspace.isTrusted });

    const subscriptions: vscode.Disposable[] = [
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === key && e.contentChanges.length > 0) sendDocument();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(sendTrust),
      panel.onDidChangeViewState(() => {
        if (panel.active) this.active = document.uri;
      }),
      webview.onDidReceiveMessage((msg: unknown) => this.onMessage(document, msg, post, sendDocument, sendTrust)),
    ];
    const training = this.training();
    if (training && vscode.workspace.isTrusted) subscriptions.push(training.attachPanel(document.uri, (m) => void webview.postMessage(m)));
    panel.onDidDispose(() => {
      subscriptions.forEach((s) => s.dispose());
      if (this.panels.get(key)?.panel === panel) this.panels.delete(key);
    });
  }

  private onMessage(document: vscode.TextDocument, msg: unknown, post: (m: HostMessage) => void, sendDocument: () => void, sendTrust: () => void): void {
    const training = this.training();
    if (typeof msg === 'object' && msg !== null && String((msg as { type?: unknown }).type).startsWith('training/')) {
      if (!vscode.workspace.isTrusted) {
        post({ type: 'editRefused', reason: 'Training runs code on this machine: trust this workspace to train.' });
        return;
      }
      training?.handleMessage(document.uri, msg, (m) => void this.panels.get(document.uri.toString())?.panel.webview.postMessage(m));
      return;
    }
    if (!isWebviewMessage(msg)) return; // not ours, or malformed: ignore rather than act on it
    switch (msg.type) {
      case 'ready':
        sendTrust();
        sendDocument();
        break;
      case 'edit':
        void this.applyOp(document, msg.op).then((reason) => {
          if (reason !== null) {
            post({ type: 'editRefused', reason });
            sendDocument(); // the webview applied it optimistically: give it the truth back
          }
        });
        break;
      case 'command':
        this.runCommand(msg.command, document.uri);
        break;
    }
  }

  /** Applies an edit operation as one WorkspaceEdit; returns why not, or null. Never touches a document it cannot parse. */
  async applyOp(document: vscode.TextDocument, op: EditOp): Promise<string | null> {
    const v = validateDocument(document.getText());
    if (!v.ok) return 'the file is not a valid model right now, so the graph editor will not change it: fix it in the text editor';
    const r = applyEdit(v.document, op);
    if (!r.ok) return r.reason;
    const text = serializeDocument(r.doc);
    if (text === document.getText()) return null;
    const edit = new vscode.WorkspaceEdit();
    const all = document.getText();
    edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(all.length)), text);
    const applied = await vscode.workspace.applyEdit(edit);
    return applied ? null : 'VS Code did not apply the edit (is the file read-only?)';
  }
}
