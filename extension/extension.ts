/**
 * NN Blocks extension entry: the custom editor for *.nnb.json, the commands, diagnostics in the Problems
 * panel, and training (extension/training) wired to the editor's webview.
 */
import type * as vscode from 'vscode';
import * as path from 'node:path';
import { registerCommands } from './commands';
import { registerDiagnostics } from './editor/diagnostics';
import { registerEarlyOpen } from './editor/early_open';
import { registerRevealNode } from './editor/reveal_node';
import { ModelEditorProvider, VIEW_TYPE } from './editor/provider';
import { registerHostTestReport } from './hostTestReport';
import { createLog } from './log';
import { registerTraining } from './training/register';

export function activate(context: vscode.ExtensionContext): void {
  const log = createLog();
  context.subscriptions.push(log);

  // The commands, the editor and training need each other; each reaches the others only when called.
  const runCommand = registerCommands(context, {
    activeModel: () => editor.activeModel(),
    documentFor: (uri) => editor.documentFor(uri),
    train: (uri) => training.train(uri),
    log,
  });
  const editor = new ModelEditorProvider(context, runCommand, () => training, log);
  context.subscriptions.push(ModelEditorProvider.register(editor));
  // Models clicked before VS Code knew of the editor opened as text: they move to it now, unless text was chosen.
  registerEarlyOpen(context, VIEW_TYPE, log);
  registerDiagnostics(context);
  // A Problems panel entry's code (the node's id) leads to its node in the graph editor.
  context.subscriptions.push(registerRevealNode(editor.panels, VIEW_TYPE));

  // Training (its commands, nnblocks.train among them, the Runs view, the run manager) reaches the
  // editor's training panels through the editor's one panel registry.
  const training = registerTraining(context, {
    panels: editor.panels,
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
  });
  registerHostTestReport(context, () => editor.activeModel(), log);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
