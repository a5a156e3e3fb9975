/**
 * The custom editor for *.nnb.json, following VS Code's custom text editor model: the TextDocument is
 * the only state. The webview gets the text after every change (its own edits, undo/redo, revert, a
 * text editor, the file changing on disk) and sends edit operations back, which become WorkspaceEdits.
 * So dirty state, save, undo, hot exit and git diffs behave as for any text file. Messages from the
 * webview go through router.ts; the open editors are in one registry (panels.ts).
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { HostCommand } from '../../protocol/editor';
import type { HostToWebview } from '../../protocol/messages';
import type { Training } from '../training/register';
import type { Log } from '../log';
import { analysisOptions } from './diagnostics';
import { DocumentEdits } from './edits';
import { editorHtml, webviewRoots } from './html';
import { PanelRegistry, type EditorPanel } from './panels';
import { routeMessage } from './router';
import { UiStateStore } from './ui_store';

export const VIEW_TYPE = 'nnblocks.modelEditor';

const KEEP_HIDDEN_SETTING = 'nnblocks.keepHiddenEditorsLoaded';
const keepHiddenEditorsLoaded = (): boolean => vscode.workspace.getConfiguration().get<boolean>(KEEP_HIDDEN_SETTING, true);

export class ModelEditorProvider implements vscode.CustomTextEditorProvider {
  readonly panels = new PanelRegistry();
  private readonly edits = new DocumentEdits();
  private readonly uiState: UiStateStore;
  /** The graph editor last focused, while it is open: the model of commands run from elsewhere. */
  private lastActive: vscode.Uri | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly runCommand: (command: HostCommand, uri: vscode.Uri) => void,
    private readonly training: () => Training | undefined,
    private readonly log: Log,
  ) {
    this.uiState = new UiStateStore(context.workspaceState);
  }

  /** Whether VS Code keeps a hidden editor's page (the setting as it was when the provider was registered). */
  private keepsHiddenPages = true;

  static register(provider: ModelEditorProvider): vscode.Disposable {
    provider.keepsHiddenPages = keepHiddenEditorsLoaded();
    return vscode.Disposable.from(
      // Switching back to a model is instant only if its page is kept while hidden: rebuilding it costs
      // VS Code about a second of frame set-up before our page even loads (README, "Showing the editor").
      // The price is the page's memory per open model, so the setting lets users with many models off.
      vscode.window.registerCustomEditorProvider(VIEW_TYPE, provider, {
        webviewOptions: { retainContextWhenHidden: provider.keepsHiddenPages },
        supportsMultipleEditorsPerDocument: true,
      }),
      // VS Code reads the option once, when the provider is registered.
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration(KEEP_HIDDEN_SETTING)) return;
        void vscode.window
          .showInformationMessage('NN Blocks: reload the window to apply "Keep Hidden Editors Loaded".', 'Reload Window')
          .then((choice) => choice && vscode.commands.executeCommand('workbench.action.reloadWindow'));
      }),
      // A save waits for the canvas edits already queued, so what is written includes them.
      vscode.workspace.onWillSaveTextDocument((e) => {
        const pending = provider.edits.settled(e.document.uri);
        if (pending !== undefined) e.waitUntil(pending);
      }),
    );
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
    return this.lastActive !== undefined && this.panels.has(this.lastActive) ? this.lastActive : undefined;
  }

  /** The current (possibly unsaved) document of a model open in this editor. */
  documentFor(uri: vscode.Uri): vscode.TextDocument | undefined {
    return this.panels.document(uri);
  }

  async resolveCustomTextEditor(document: vscode.TextDocument, webviewPanel: vscode.WebviewPanel): Promise<void> {
    const webview = webviewPanel.webview;
    const file = path.basename(document.uri.fsPath);
    webview.options = { enableScripts: true, localResourceRoots: webviewRoots(this.context.extensionUri) };
    webview.html = editorHtml(webview, this.context.extensionUri, file);
    // A hidden editor's page, unless kept loaded (the setting), is gone and a message to it is not
    // delivered: the rebuilt page asks again ('ready') when shown.
    const post = (m: HostToWebview) =>
      void webview
        .postMessage(m)
        .then(undefined, (e: unknown) => this.log.error(`${file}: could not send ${m.type} to the graph editor: ${(e as Error).message}`));
    const panel: EditorPanel = { panel: webviewPanel, post, lastEdit: 0, ready: false };
    const unregister = this.panels.add(document, panel);
    this.lastActive = document.uri;

    const sendDocument = () => post({ type: 'document', text: document.getText(), version: document.version, edit: panel.lastEdit, fileName: file });
    // Training runs code: the page shows its panel only in a trusted workspace, which may become trusted
    // while the editor is open; the panel then asks for the training state ('training/ready').
    const sendTrust = () => post({ type: 'trust', trusted: vscode.workspace.isTrusted });
    // The canvas analyses the document itself: it warns about a model's size at the user's setting, as the Problems panel does.
    const sendSettings = () => post({ type: 'settings', warnParams: analysisOptions().warnParams ?? null });

    const route = {
      document,
      panel,
      panels: this.panels,
      edits: this.edits,
      uiState: this.uiState,
      log: this.log,
      training: this.training,
      runCommand: this.runCommand,
      sendDocument,
      sendTrust,
      sendSettings,
    };
    const subscriptions: vscode.Disposable[] = [
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === document.uri.toString() && e.contentChanges.length > 0) sendDocument();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(sendTrust),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('nnblocks.sizeWarningParameters')) sendSettings();
      }),
      webviewPanel.onDidChangeViewState(() => {
        if (webviewPanel.active) this.lastActive = document.uri;
        // A page not kept while hidden is thrown away: what is meant for it waits for the new page's 'ready'.
        if (!webviewPanel.visible && !this.keepsHiddenPages) panel.ready = false;
      }),
      webview.onDidReceiveMessage((msg: unknown) => routeMessage(route, msg)),
    ];
    webviewPanel.onDidDispose(() => {
      subscriptions.forEach((s) => s.dispose());
      unregister();
    });
  }
}
