/**
 * The few VS Code APIs the training host uses, as a recording fake, so RunManager's logic (one run per
 * model, asking before a second, progress with Cancel, relaying to panels) is tested without VS Code.
 * The real extension host is covered by the editor's code-server test.
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
  get path(): string {
    return this.fsPath;
  }
  toString(): string {
    return `file://${this.fsPath}`;
  }
}

export interface Recorded {
  warnings: string[];
  errors: string[];
  infos: string[];
  progress: { increment?: number; message?: string }[];
  /** What the next showWarningMessage answers. */
  warningAnswer: string | undefined;
  /** Cancels the progress notification (like the Cancel button) when set. */
  cancel: (() => void) | null;
}

export const recorded: Recorded = { warnings: [], errors: [], infos: [], progress: [], warningAnswer: undefined, cancel: null };

export const fake = {
  EventEmitter,
  Disposable,
  Uri,
  ProgressLocation: { Notification: 15 },
  window: {
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
    withProgress: async (_o: unknown, task: (p: { report: (v: { increment?: number; message?: string }) => void }, t: { onCancellationRequested: (f: () => void) => void }) => Promise<unknown>) =>
      task({ report: (v) => recorded.progress.push(v) }, { onCancellationRequested: (f) => (recorded.cancel = f) }),
  },
  workspace: { asRelativePath: (u: Uri | string) => (typeof u === 'string' ? path.basename(u) : path.basename(u.fsPath)) },
  commands: { executeCommand: async () => undefined },
};

/** Makes `require('vscode')` return the fake, for modules loaded after this call. */
export function installFakeVscode(): void {
  const mod = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = mod._load;
  mod._load = function (request: string, ...rest: unknown[]) {
    if (request === 'vscode') return fake;
    return original.call(this, request, ...rest);
  };
}
