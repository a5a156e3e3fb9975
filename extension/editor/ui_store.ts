/**
 * The graph editor's UI state per document, kept by the host in workspaceState (see protocol/ui_state.ts):
 * it survives a window reload and reaches a second editor of the same file even when VS Code does not
 * restore the webview's own saved state. Keyed by document URI; read back through the same schema.
 */
import type * as vscode from 'vscode';
import { readUiState, type UiState } from '../../protocol/ui_state';

const PREFIX = 'nnblocks.editorState:';

export class UiStateStore {
  constructor(private readonly memento: vscode.Memento) {}

  get(uri: vscode.Uri): UiState | null {
    return readUiState(this.memento.get(PREFIX + uri.toString()));
  }

  set(uri: vscode.Uri, state: UiState): Thenable<void> {
    return this.memento.update(PREFIX + uri.toString(), state);
  }
}
