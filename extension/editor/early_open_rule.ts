/**
 * What to do with a model that sits in a text tab when the extension starts (early_open.ts applies it).
 * A `*.nnb.json` clicked in the first seconds of a window, before VS Code has scanned the extension,
 * opens in the plain text editor; once the extension runs, such a tab belongs in the graph editor,
 * unless the user chose text: they reopened it as text in an earlier session (a choice kept per
 * workspace, restored with the tab by a window reload), or `workbench.editorAssociations` sends the
 * file to another editor. A tab with unsaved changes is left as it is. Pure: no `vscode` import, so the
 * rule is tested on its own (test/extension/early_open_rule.test.ts).
 */

/** A tab as the rule sees it. */
export interface TabView {
  /** The resource's URI, as a string. */
  uri: string;
  /** The editor it is open in: the plain text editor, NN Blocks' graph editor, or something else (a diff, another custom editor). */
  editor: 'text' | 'graph' | 'other';
  /** The tab shown in its group. */
  active: boolean;
  dirty: boolean;
}

export type StartDecision =
  /** Not a model in a text tab: nothing to do. */
  | 'ignore'
  /** Reopen it with the graph editor now. */
  | 'reopen'
  /** Reopen it when it is shown (a background tab: reopening it now would bring it forward). */
  | 'whenShown'
  /** The user chose the text editor (earlier, or through editorAssociations): leave it. */
  | 'chosenText'
  /** It has unsaved changes: leave it, rather than move them between editors. */
  | 'unsaved';

export const isModelUri = (uri: string): boolean => /\.nnb\.json$/i.test(uri.replace(/[?#].*$/, ''));

/**
 * The decision for one tab found open when the extension starts. `chosenText`: the URIs the user has
 * reopened as text in this workspace; `associated`: the editor `workbench.editorAssociations` gives the
 * file (undefined when it names none).
 */
export function decideAtStart(tab: TabView, chosenText: ReadonlySet<string>, associated: string | undefined, graphViewType: string): StartDecision {
  if (tab.editor !== 'text' || !isModelUri(tab.uri)) return 'ignore';
  if (chosenText.has(tab.uri) || (associated !== undefined && associated !== graphViewType)) return 'chosenText';
  if (tab.dirty) return 'unsaved';
  return tab.active ? 'reopen' : 'whenShown';
}

/**
 * How the user's choice changes when tabs open while the extension runs: VS Code then opens a model in
 * the graph editor by default, so a text tab of a model is the user's choice (Reopen Editor With... >
 * Text Editor, the editor's Open in Text Editor, Open With...), and a graph tab takes it back. A text tab
 * that `workbench.editorAssociations` gave (`associated(uri)` names another editor) records nothing: the
 * setting is the choice, and the tab follows it when it changes.
 */
export function choicesAfterOpening(
  chosenText: ReadonlySet<string>,
  opened: readonly TabView[],
  associated: (uri: string) => string | undefined = () => undefined,
  graphViewType = '',
): Set<string> {
  const next = new Set(chosenText);
  for (const tab of opened) {
    if (!isModelUri(tab.uri)) continue;
    const elsewhere = associated(tab.uri);
    if (tab.editor === 'text' && (elsewhere === undefined || elsewhere === graphViewType)) next.add(tab.uri);
    else if (tab.editor === 'graph') next.delete(tab.uri);
  }
  return next;
}

/**
 * The editor `workbench.editorAssociations` names for `path`, or undefined. Its keys are globs: one
 * without a slash matches the file name, one with a slash the whole path (as VS Code reads them).
 * The setting is an object of glob to view type, or (older form) a list of `{ viewType, filenamePattern }`.
 */
export function associatedEditor(associations: unknown, path: string): string | undefined {
  const pairs: [string, unknown][] = Array.isArray(associations)
    ? associations.map((a: unknown) => [String((a as { filenamePattern?: unknown })?.filenamePattern ?? ''), (a as { viewType?: unknown })?.viewType])
    : typeof associations === 'object' && associations !== null
      ? Object.entries(associations)
      : [];
  const name = path.slice(path.lastIndexOf('/') + 1);
  let found: { glob: string; viewType: string } | undefined;
  for (const [glob, viewType] of pairs) {
    if (typeof viewType !== 'string' || glob === '') continue;
    // The longest (most specific) matching pattern wins.
    if (globToRegExp(glob).test(glob.includes('/') ? path : name) && (found === undefined || glob.length > found.glob.length))
      found = { glob, viewType };
  }
  return found?.viewType;
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // A path pattern that does not start at the root matches at any folder depth.
  return new RegExp(`^${glob.includes('/') && !glob.startsWith('/') && !glob.startsWith('**') ? '(?:.*/)?' : ''}${re}$`);
}
