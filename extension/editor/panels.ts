/**
 * The one registry of open graph editors: for each document URI, its TextDocument and the panels showing
 * it (several editors may show one document). Messages for "every editor of this model" (training
 * progress) and "the document of this model" (commands run from the palette) are answered from here;
 * training reaches its panels through it too (`ModelPanels`).
 */
import type * as vscode from 'vscode';
import type { HostToWebview } from '../../protocol/messages';

export interface EditorPanel {
  readonly panel: vscode.WebviewPanel;
  post(message: HostToWebview): void;
  /** The number of this panel's last edit the host has started to apply (0 before any, and after the page reloads). */
  lastEdit: number;
  /** Whether its page is up: it said 'ready' and has not been thrown away since (hidden, when hidden pages are not kept). */
  ready: boolean;
  /** A node to show once the page is up (extension/editor/reveal_node.ts). */
  pendingReveal?: string;
}

/** What training needs of the registry: whether a model is open, and a message to each of its panels. */
export interface ModelPanels {
  has(uri: vscode.Uri): boolean;
  postAll(uri: vscode.Uri, message: HostToWebview): void;
}

interface Entry {
  document: vscode.TextDocument;
  panels: Set<EditorPanel>;
}

export class PanelRegistry implements ModelPanels {
  private readonly byUri = new Map<string, Entry>();

  /** Registers a panel of `document`; the returned function unregisters it (the document goes with its last panel). */
  add(document: vscode.TextDocument, panel: EditorPanel): () => void {
    const key = document.uri.toString();
    const entry = this.byUri.get(key) ?? { document, panels: new Set<EditorPanel>() };
    entry.document = document;
    entry.panels.add(panel);
    this.byUri.set(key, entry);
    return () => {
      entry.panels.delete(panel);
      if (entry.panels.size === 0 && this.byUri.get(key) === entry) this.byUri.delete(key);
    };
  }

  has(uri: vscode.Uri): boolean {
    return this.byUri.has(uri.toString());
  }

  document(uri: vscode.Uri): vscode.TextDocument | undefined {
    return this.byUri.get(uri.toString())?.document;
  }

  panels(uri: vscode.Uri): readonly EditorPanel[] {
    return [...(this.byUri.get(uri.toString())?.panels ?? [])];
  }

  postAll(uri: vscode.Uri, message: HostToWebview): void {
    for (const p of this.panels(uri)) p.post(message);
  }
}
