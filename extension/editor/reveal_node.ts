/**
 * A Problems panel entry of NN Blocks leads to its node in the graph editor, shown and selected. VS Code
 * gives a custom editor no word of the range it was opened at (microsoft/vscode#205209 and #211351,
 * closed out of scope): a click on the entry's message only brings the graph editor to the front. The
 * entry's code, the node's id, is therefore a link to the `nnblocks.revealNode` command (diagnostics.ts).
 */
import * as vscode from 'vscode';
import type { PanelRegistry } from './panels';

export const REVEAL_NODE_COMMAND = 'nnblocks.revealNode';

/** The link target of a node's diagnostic code: the command, with the model and the node as its arguments. */
export function revealNodeTarget(uri: vscode.Uri, id: string): vscode.Uri {
  return vscode.Uri.parse(`command:${REVEAL_NODE_COMMAND}?${encodeURIComponent(JSON.stringify([uri.toString(), id]))}`);
}

/**
 * Brings up a graph editor of `uri` (the one in front, else one already open, else a new one) and has its
 * page show `id` selected, now if the page is up or as soon as it is (a page hidden is reloaded when shown).
 */
export async function revealNode(panels: PanelRegistry, viewType: string, uri: vscode.Uri, id: string): Promise<void> {
  const open = panels.panels(uri);
  const target = open.find((p) => p.panel.active) ?? open.find((p) => p.panel.visible) ?? open[0];
  if (target === undefined) await vscode.commands.executeCommand('vscode.openWith', uri, viewType);
  else target.panel.reveal(target.panel.viewColumn);
  const shown = target ?? panels.panels(uri)[0];
  if (shown === undefined) return;
  if (shown.ready) shown.post({ type: 'reveal', id });
  else shown.pendingReveal = id;
}

export function registerRevealNode(panels: PanelRegistry, viewType: string): vscode.Disposable {
  return vscode.commands.registerCommand(REVEAL_NODE_COMMAND, (uri: string, id: string) => revealNode(panels, viewType, vscode.Uri.parse(uri), id));
}
