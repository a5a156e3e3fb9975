/**
 * The model's problems in VS Code's Problems panel: schema errors at their line, analysis errors at the
 * line of the `"id"` of the node or edge they belong to (engine/graph/locate.ts, as `nnb check` prints),
 * with that id as the entry's code, which leads to the node (reveal_node.ts).
 */
import * as vscode from 'vscode';
import { analyzeDocument, idLocator, validateDocument, type AnalysisOptions } from '../../engine/graph';
import { revealNodeTarget } from './reveal_node';

/** The analysis options the user's settings give (the size above which a model is warned about). */
export function analysisOptions(): AnalysisOptions {
  const warnParams = vscode.workspace.getConfiguration('nnblocks').get<number>('sizeWarningParameters');
  return typeof warnParams === 'number' && warnParams >= 0 ? { warnParams } : {};
}

export function computeDiagnostics(doc: vscode.TextDocument): vscode.Diagnostic[] {
  const text = doc.getText();
  const v = validateDocument(text);
  if (!v.ok) {
    return v.issues.map((i) => {
      const line = Math.max(0, Math.min(doc.lineCount - 1, (i.line ?? 1) - 1));
      const d = new vscode.Diagnostic(doc.lineAt(line).range, `${i.path ? `${i.path}: ` : ''}${i.message}`, vscode.DiagnosticSeverity.Error);
      d.source = 'NN Blocks';
      return d;
    });
  }
  const lineOf = idLocator(text, v.document);
  return analyzeDocument(v.document, analysisOptions()).diagnostics.map((x) => {
    const line = Math.min(doc.lineCount, (x.id ? lineOf(x.id) : undefined) ?? 1) - 1;
    const d = new vscode.Diagnostic(
      doc.lineAt(line).range,
      x.message,
      x.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
    );
    d.source = 'NN Blocks';
    // The entry's code is the node's id, a link that shows the node in the graph editor (reveal_node.ts).
    if (x.id) d.code = { value: x.id, target: revealNodeTarget(doc.uri, x.id) };
    return d;
  });
}

/** Keeps diagnostics of every open *.nnb.json document current, in the custom editor or a text editor. */
export function registerDiagnostics(context: vscode.ExtensionContext): vscode.DiagnosticCollection {
  const collection = vscode.languages.createDiagnosticCollection('nnblocks');
  const refresh = (doc: vscode.TextDocument) => {
    if (doc.uri.path.endsWith('.nnb.json')) collection.set(doc.uri, computeDiagnostics(doc));
  };
  vscode.workspace.textDocuments.forEach(refresh);
  context.subscriptions.push(
    collection,
    vscode.workspace.onDidOpenTextDocument(refresh),
    vscode.workspace.onDidChangeTextDocument((e) => refresh(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => collection.delete(d.uri)),
    // The size warning follows its setting without reopening the model.
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('nnblocks.sizeWarningParameters')) vscode.workspace.textDocuments.forEach(refresh);
    }),
  );
  return collection;
}
