/**
 * The model's problems in VS Code's Problems panel: schema errors at their line, analysis errors at the
 * line of the node or edge they belong to (found by its `"id": "..."` in the text).
 */
import * as vscode from 'vscode';
import { analyzeDocument, validateDocument } from '../../engine/graph';

function lineOfId(doc: vscode.TextDocument, text: string, id: string): vscode.Range {
  if (id !== '') {
    const at = text.indexOf(`"id": ${JSON.stringify(id)}`);
    if (at >= 0) return doc.lineAt(doc.positionAt(at).line).range;
  }
  return doc.lineAt(0).range;
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
  return analyzeDocument(v.document).diagnostics.map((x) => {
    const d = new vscode.Diagnostic(lineOfId(doc, text, x.id), x.message, x.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
    d.source = 'NN Blocks';
    if (x.id) d.code = x.id;
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
  );
  return collection;
}
