/**
 * The custom editor for *.nnb.json, following VS Code's custom text editor model: the TextDocument is
 * the only state. The webview gets the text after every change (its own edits, undo/redo, revert, a
 * text editor, the file changing on disk) and sends edit operations back, which become WorkspaceEdits.
 * So dirty state, save, undo, hot exit and git diffs behave as for any text file.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { isWebviewMessage, type HostCommand, type HostMessage } from '../../webview/protocol/messages';
import type { Training } from '../training/register';
import { DocumentEdits } from './edits';
import { editorHtml, webviewRoots } from './html';

export const VIEW_TYPE = 'nnblocks.modelEditor';

export class ModelEditorProvider implements vscode.CustomTextEditorProvider {
  /** Open editors by document URI (several panels can show one document). */
  private readonly panels = new Map<string, Set<vscode.WebviewPanel>>();
  private readonly documents = new Map<string, vscode.TextDocument>();
  private readonly edits = new DocumentEdits();
  /** The graph editor last focused, while it is open: the model of commands run from elsewhere. */
  private lastActive: vscode.Uri | undefined;

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

  /**
   * The model the user is looking at: the active tab when it shows a model (in this editor or as text),
   * otherwise the graph editor focused last, if it is still open (say, after Generate TypeScript opened
   * the code beside it).
   */
  activeModel(): vscode.Uri | undefined {
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    if (input instanceof vscode.TabInputCustom && input.viewType === VIEW_TYPE) return input.uri;
    if (input instanceof vscode.TabInputText && input.uri.path.endsWith('.nnb.json')) return input.uri;
    return this.lastActive !== undefined && this.panels.has(this.lastActive.toString()) ? this.lastActive : undefined;
  }

  /** The current (possibly unsaved) document of a model open in this editor. */
  documentFor(uri: vscode.Uri): vscode.TextDocument | undefined {
    return this.documents.get(uri.toString());
  }

  private postAll(uri: vscode.Uri, m: unknown): void {
    for (const panel of this.panels.get(uri.toString()) ?? []) void panel.webview.postMessage(m);
  }

  async resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): Promise<void> {
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: webviewRoots(this.context.extensionUri) };
    webview.html = editorHtml(webview, this.context.extensionUri);
    const key = document.uri.toString();
    const open = this.panels.get(key) ?? new Set();
    open.add(panel);
    this.panels.set(key, open);
    this.documents.set(key, document);
    this.lastActive = document.uri;

    const post = (m: HostMessage) => void webview.postMessage(m);
    const sendDocument = () => post({ type: 'document', text: document.getText(), version: document.version, fileName: path.basename(document.uri.fsPath) });
    const sendTrust = () => post({ type: 'trust', trusted: vscode.workspace.isTrusted });
    // Training runs code: the panel is connected to it only once the workspace is trusted, which may
    // happen while the editor is open.
    let training: vscode.Disposable | undefined;
    const attachTraining = () => {
      const t = this.training();
      if (training === undefined && t !== undefined && vscode.workspace.isTrusted) training = t.attachPanel(document.uri, (m) => void webview.postMessage(m));
    };
    attachTraining();

    const subscriptions: vscode.Disposable[] = [
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === key && e.contentChanges.length > 0) sendDocument();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        sendTrust();
        attachTraining();
      }),
      panel.onDidChangeViewState(() => {
        if (panel.active) this.lastActive = document.uri;
      }),
      webview.onDidReceiveMessage((msg: unknown) => this.onMessage(document, msg, post, sendDocument, sendTrust)),
    ];
    panel.onDidDispose(() => {
      subscriptions.forEach((s) => s.dispose());
      training?.dispose();
      open.delete(panel);
      if (open.size === 0 && this.panels.get(key) === open) {
        this.panels.delete(key);
        this.documents.delete(key);
      }
    });
  }

  private onMessage(document: vscode.TextDocument, msg: unknown, post: (m: HostMessage) => void, sendDocument: () => void, sendTrust: () => void): void {
    const training = this.training();
    if (typeof msg === 'object' && msg !== null && String((msg as { type?: unknown }).type).startsWith('training/')) {
      if (!vscode.workspace.isTrusted) {
        post({ type: 'editRefused', reason: 'Training runs code on this machine: trust this workspace to train.' });
        return;
      }
      training?.handleMessage(document.uri, msg, (m) => this.postAll(document.uri, m));
      return;
    }
    if (!isWebviewMessage(msg)) return; // not ours, or malformed: ignore rather than act on it
    switch (msg.type) {
      case 'ready':
        sendTrust();
        sendDocument();
        break;
      case 'edit': {
        // The webview applied the edit optimistically: when the host refuses it, the truth goes back.
        const refused = (reason: string) => {
          post({ type: 'editRefused', reason });
          sendDocument();
        };
        this.edits.apply(document, msg.op).then(
          (reason) => reason !== null && refused(reason),
          (e: unknown) => refused(`the edit failed: ${(e as Error).message}`),
        );
        break;
      }
      case 'command':
        this.runCommand(msg.command, document.uri);
        break;
    }
  }
}
