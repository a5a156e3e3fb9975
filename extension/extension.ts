/**
 * NN Blocks extension entry: the custom editor for *.nnb.json, the commands, diagnostics in the Problems
 * panel, and training (extension/training) wired to the editor's webview.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { registerCommands } from './commands';
import { registerDiagnostics } from './editor/diagnostics';
import { ModelEditorProvider } from './editor/provider';
import { registerHostTestReport } from './hostTestReport';
import { createLog } from './log';
import { registerTraining, type Training } from './training/register';

export function activate(context: vscode.ExtensionContext): void {
  const log = createLog();
  context.subscriptions.push(log);
  let training: Training | undefined;
  let provider: ModelEditorProvider | undefined;

  const runCommand = registerCommands(context, {
    activeModel: () => provider?.activeModel(),
    documentFor: (uri) => provider?.documentFor(uri),
    train: (uri) => training?.train(uri),
    log,
  });
  provider = new ModelEditorProvider(context, runCommand, () => training, log);
  context.subscriptions.push(ModelEditorProvider.register(context, provider));
  registerDiagnostics(context);

  // Training executes code: with Workspace Trust withheld the commands explain instead of running.
  const editor = provider;
  training = registerTraining(context, {
    getDocument: (uri) => {
      const doc = editor.documentFor(uri);
      if (doc === undefined) return undefined;
      try {
        return JSON.parse(doc.getText());
      } catch {
        return undefined;
      }
    },
    activeModelUri: () => editor.activeModel(),
    workerPath: path.join(context.extensionPath, 'dist', 'extension', 'train-worker.js'),
    registerTrainCommand: false,
  });
  context.subscriptions.push(
    vscode.commands.registerCommand('nnblocks.train', async (arg?: unknown) => {
      const uri = arg instanceof vscode.Uri ? arg : editor.activeModel() ?? vscode.window.activeTextEditor?.document.uri;
      if (uri === undefined || !uri.path.endsWith('.nnb.json')) {
        log.warn(`Train: no model to train (${uri === undefined ? 'no editor is open' : `${uri.path} is not a *.nnb.json model`})`);
        void vscode.window.showErrorMessage('NN Blocks: open a *.nnb.json model to train it');
        return;
      }
      runCommand('train', uri);
    }),
  );
  registerHostTestReport(context, () => editor.activeModel(), log);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
