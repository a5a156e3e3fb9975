/**
 * Applies the webview's edit operations to the model's TextDocument as WorkspaceEdits. Each operation
 * turns the current text into the serialized result of applying it (replacing only the span that
 * differs), so two of them must never read the text at the same time: edits of one document run one
 * after the other, and a save waits for the ones queued (provider.ts, onWillSaveTextDocument).
 * (Pressing Alt+Down twice quickly sends two reorders; run side by side, both would start from the same
 * text and the second would overwrite the first.)
 */
import * as vscode from 'vscode';
import { serializeDocument, validateDocument } from '../../engine/graph';
import { applyEdit, type EditOp } from '../../engine/graph/edits';
import { changedSpan } from './jsonText';
import { KeyedQueue } from '../keyed_queue';

/** Applies one operation as one WorkspaceEdit; returns why not, or null. Never touches a document it cannot parse. */
async function applyOp(document: vscode.TextDocument, op: EditOp): Promise<string | null> {
  const current = document.getText();
  const v = validateDocument(current);
  if (!v.ok) return 'the file is not a valid model right now, so the graph editor will not change it: fix it in the text editor';
  const r = applyEdit(v.document, op);
  if (!r.ok) return r.reason;
  const text = serializeDocument(r.doc);
  if (text === current) return null;
  const span = changedSpan(current, text);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(span.start), document.positionAt(span.end)), span.text);
  const applied = await vscode.workspace.applyEdit(edit);
  return applied ? null : 'VS Code did not apply the edit (is the file read-only?)';
}

export class DocumentEdits {
  /** Edits by document URI. */
  private readonly queue = new KeyedQueue();

  /**
   * Queues `op` behind the document's earlier edits; resolves with why it was refused, or null.
   * `starting` runs when its turn comes, right before it reads the text.
   */
  apply(document: vscode.TextDocument, op: EditOp, starting: () => void = () => undefined): Promise<string | null> {
    return this.queue.run(document.uri.toString(), async () => {
      starting();
      return applyOp(document, op);
    });
  }

  /** Settles once the edits of `uri` queued so far have: what a save or a revert waits for. */
  settled(uri: vscode.Uri): Promise<void> | undefined {
    const key = uri.toString();
    return this.queue.busy(key) ? this.queue.idle(key) : undefined;
  }
}
