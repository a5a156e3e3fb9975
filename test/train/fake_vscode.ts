/**
 * The VS Code APIs the training host uses (extension/training), as a recording fake, so its logic (one
 * run per model, asking before a second, progress with Cancel, relaying to panels, the Runs commands) is
 * tested without VS Code, and the browser tests can drive the real host half of the training panel.
 * The real extension host is covered by the code-server tests (test/vscode/*.e2e.test.ts).
 */
import Module from 'node:module';
import * as path from 'node:path';

export class EventEmitter<T> {
  private listeners = new Set<(e: T) => void>();
  event = (l: (e: T) => void) => {
    this.listeners.add(l);
    return { dispose: () => this.listeners.delete(l) };
  };
  fire(e: T): void {
    for (const l of this.listeners) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export class Disposable {
  constructor(private readonly fn: () => void) {}
  dispose(): void {
    this.fn();
  }
}

export class Uri {
  private constructor(readonly fsPath: string) {}
  static file(p: string): Uri {
    return new Uri(path.resolve(p));
  }
  /** Keeps the text whole (a command: link's query included), as the tests only read it back. */
  static parse(text: string): Uri {
    return new Uri(text);
  }
  get path(): string {
    return this.fsPath;
  }
  toString(): string {
    return this.fsPath.includes(':') ? this.fsPath : `file://${this.fsPath}`;
  }
}

export class TreeItem {
  description?: string;
  tooltip?: unknown;
  iconPath?: unknown;
  resourceUri?: Uri;
  contextValue?: string;
  command?: unknown;
  constructor(
    readonly label: string,
    readonly collapsibleState: number,
  ) {}
}

export class ThemeIcon {
  constructor(readonly id: string) {}
}

export class MarkdownString {
  constructor(readonly value: string) {}
}

export interface Recorded {
  warnings: string[];
  errors: string[];
  infos: string[];
  /** Lines appended to output channels. */
  output: string[];
  progress: { increment?: number; message?: string }[];
  /** What the next showWarningMessage answers. */
  warningAnswer: string | undefined;
  /** Cancels the progress notification (like the Cancel button) when set. */
  cancel: (() => void) | null;
  /** Answers for the next quick picks (the label to choose) and input boxes, taken in order. */
  quickPicks: (string | undefined)[];
  inputs: (string | undefined)[];
  /** Answers for the next save and open dialogs (file paths), taken in order. */
  saveDialogs: (string | undefined)[];
  openDialogs: (string | undefined)[];
  /** Commands executed through vscode.commands.executeCommand, with their arguments. */
  executed: { command: string; args: unknown[] }[];
}

/** The settings the fake's getConfiguration answers with, by `section.key`. */
export const settings: Record<string, unknown> = {};

export const recorded: Recorded = {
  warnings: [],
  errors: [],
  infos: [],
  output: [],
  progress: [],
  warningAnswer: undefined,
  cancel: null,
  quickPicks: [],
  inputs: [],
  saveDialogs: [],
  openDialogs: [],
  executed: [],
};

/** Commands registered through vscode.commands.registerCommand, by id. */
export const commands = new Map<string, (...args: unknown[]) => unknown>();

const noop = () => new Disposable(() => {});

export const fake = {
  EventEmitter,
  Disposable,
  Uri,
  TreeItem,
  ThemeIcon,
  MarkdownString,
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  ProgressLocation: { Notification: 15 },
  UIKind: { Desktop: 1, Web: 2 },
  env: { uiKind: 2 },
  window: {
    activeTextEditor: undefined,
    showWarningMessage: async (m: string) => {
      recorded.warnings.push(m);
      return recorded.warningAnswer;
    },
    showErrorMessage: async (m: string) => {
      recorded.errors.push(m);
      return undefined;
    },
    showInformationMessage: async (m: string) => {
      recorded.infos.push(m);
      return undefined;
    },
    showQuickPick: async (items: { label: string }[]) => {
      const label = recorded.quickPicks.shift();
      return items.find((i) => i.label === label);
    },
    showInputBox: async () => recorded.inputs.shift(),
    showSaveDialog: async () => {
      const p = recorded.saveDialogs.shift();
      return p === undefined ? undefined : Uri.file(p);
    },
    showOpenDialog: async () => {
      const p = recorded.openDialogs.shift();
      return p === undefined ? undefined : [Uri.file(p)];
    },
    withProgress: async (
      _o: unknown,
      task: (
        p: { report: (v: { increment?: number; message?: string }) => void },
        t: { onCancellationRequested: (f: () => void) => void },
      ) => Promise<unknown>,
    ) => task({ report: (v) => recorded.progress.push(v) }, { onCancellationRequested: (f) => (recorded.cancel = f) }),
    createOutputChannel: () => ({ appendLine: (l: string) => recorded.output.push(l), show: () => {}, dispose: () => {} }),
    createTreeView: noop,
  },
  workspace: {
    isTrusted: true,
    /** Settings as `section.key` (empty: every setting takes its default). */
    getConfiguration: (section: string) => ({ get: <T>(key: string, fallback?: T) => (settings[`${section}.${key}`] as T | undefined) ?? fallback }),
    asRelativePath: (u: Uri | string) => (typeof u === 'string' ? path.basename(u) : path.basename(u.fsPath)),
    findFiles: async () => [],
    createFileSystemWatcher: () => ({ onDidCreate: noop, onDidDelete: noop, onDidChange: noop, dispose: () => {} }),
  },
  commands: {
    executeCommand: async (command: string, ...args: unknown[]) => {
      recorded.executed.push({ command, args });
      return commands.get(command)?.(...args);
    },
    registerCommand: (id: string, fn: (...args: unknown[]) => unknown) => {
      commands.set(id, fn);
      return new Disposable(() => commands.delete(id));
    },
    getCommands: async () => [...commands.keys()],
  },
};

/** An ExtensionContext with what registerTraining uses; dispose() disposes its subscriptions. */
export function fakeContext(): { subscriptions: { dispose(): unknown }[]; extensionPath: string; dispose(): void } {
  const subscriptions: { dispose(): unknown }[] = [];
  return { subscriptions, extensionPath: path.join(__dirname, '..', '..'), dispose: () => subscriptions.splice(0).forEach((d) => d.dispose()) };
}

/**
 * The editor's registry of panels as training sees it (extension/editor/panels.ts, ModelPanels): every
 * message posted to a model's panels is recorded; `open` says whether the model has an editor open.
 */
export function fakePanels(open = true): {
  posted: { type: string; message?: string; seq?: number }[];
  has(): boolean;
  postAll(uri: unknown, m: { type: string }): void;
} {
  const posted: { type: string; message?: string; seq?: number }[] = [];
  return { posted, has: () => open, postAll: (_uri, m) => void posted.push(m) };
}

/** Makes `require('vscode')` return the fake, for modules loaded after this call. */
export function installFakeVscode(): void {
  const mod = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = mod._load;
  mod._load = function (request: string, ...rest: unknown[]) {
    if (request === 'vscode') return fake;
    return original.call(this, request, ...rest);
  };
}
