/**
 * Models that opened as text before the extension started (a `*.nnb.json` clicked in the first seconds
 * of a window) are reopened with the graph editor, in the same group and preview state; the rule, and
 * what counts as the user choosing text, is early_open_rule.ts. The user's choices are kept in the
 * workspace's state, so a text tab that a window reload restores stays text.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { Log } from '../log';
import { associatedEditor, choicesAfterOpening, decideAtStart, type TabView } from './early_open_rule';

const CHOICES_KEY = 'nnblocks.textChosen';
/** The choices kept, newest last: enough for any workspace, bounded so the state cannot grow without end. */
const KEEP_CHOICES = 500;

function tabView(tab: vscode.Tab, graphViewType: string): TabView | undefined {
  const input = tab.input;
  const editor =
    input instanceof vscode.TabInputText ? 'text' : input instanceof vscode.TabInputCustom && input.viewType === graphViewType ? 'graph' : undefined;
  if (editor === undefined) return undefined;
  return { uri: (input as vscode.TabInputText | vscode.TabInputCustom).uri.toString(), editor, active: tab.isActive, dirty: tab.isDirty };
}

export function registerEarlyOpen(context: vscode.ExtensionContext, graphViewType: string, log: Log): void {
  let chosen = new Set(context.workspaceState.get<string[]>(CHOICES_KEY, []));
  /** Background text tabs found at start: reopened when first shown. */
  const whenShown = new Set<string>();

  const reopen = async (tab: vscode.Tab, uri: vscode.Uri) => {
    const file = path.basename(uri.fsPath);
    try {
      const column = tab.group.viewColumn;
      await vscode.commands.executeCommand('vscode.openWith', uri, graphViewType, {
        viewColumn: column,
        preview: tab.isPreview,
        preserveFocus: !tab.group.isActive,
      });
      // openWith opens the graph beside the text tab (seen in code-server), which then goes. The tab objects
      // from before are stale by now (closing one is "tab not found"): the group's tabs are read afresh.
      const left = vscode.window.tabGroups.all
        .find((g) => g.viewColumn === column)
        ?.tabs.find((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString());
      if (left !== undefined && !left.isDirty) await vscode.window.tabGroups.close(left, true);
      log.info(`${file}: opened as text before NN Blocks started: reopened with the graph editor`);
    } catch (e) {
      log.error(`${file}: could not reopen with the graph editor: ${(e as Error).message}`);
    }
  };

  const associations = () => vscode.workspace.getConfiguration('workbench').get<unknown>('editorAssociations');
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      const view = tabView(tab, graphViewType);
      if (view === undefined) continue;
      const uri = (tab.input as vscode.TabInputText).uri;
      const decision = decideAtStart(view, chosen, associatedEditor(associations(), uri.path), graphViewType);
      if (decision === 'reopen') void reopen(tab, uri);
      else if (decision === 'whenShown') whenShown.add(view.uri);
      else if (decision !== 'ignore')
        log.info(
          `${path.basename(uri.fsPath)}: left in the text editor (${decision === 'chosenText' ? 'the text editor was chosen for it' : 'it has unsaved changes'})`,
        );
    }
  }

  context.subscriptions.push(
    vscode.window.tabGroups.onDidChangeTabs((e) => {
      const opened = e.opened.map((t) => tabView(t, graphViewType)).filter((v) => v !== undefined);
      for (const v of opened) whenShown.delete(v.uri);
      const associatedWith = (u: string) => associatedEditor(associations(), vscode.Uri.parse(u).path);
      const next = choicesAfterOpening(chosen, opened, associatedWith, graphViewType);
      if (next.size !== chosen.size || [...next].some((u) => !chosen.has(u))) {
        chosen = next;
        void context.workspaceState.update(CHOICES_KEY, [...chosen].slice(-KEEP_CHOICES));
      }
      for (const tab of e.changed) {
        const view = tabView(tab, graphViewType);
        if (view === undefined || view.editor !== 'text' || !view.active || !whenShown.delete(view.uri)) continue;
        if (!view.dirty) void reopen(tab, (tab.input as vscode.TabInputText).uri);
      }
    }),
  );
}
