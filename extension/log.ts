/**
 * The "NN Blocks" output channel: what the extension refuses or fails to do is written here, with the
 * file it concerns, so that a message from a webview that was not acted on, an edit VS Code did not
 * apply or a webview that failed to render can be found afterwards (View > Output > NN Blocks).
 * The last lines are also kept in memory for the in-host test report (hostTestReport.ts).
 */
import * as vscode from 'vscode';

export interface Log {
  /** The channel itself, for commands that print their own output (Check Model). */
  readonly channel: vscode.OutputChannel;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** The last lines written (at most KEEP), oldest first. */
  recent(): readonly string[];
}

const KEEP = 200;

export function createLog(): Log & vscode.Disposable {
  const channel = vscode.window.createOutputChannel('NN Blocks', { log: true });
  const lines: string[] = [];
  const keep = (level: string, message: string) => {
    lines.push(`${new Date().toISOString()} ${level} ${message}`);
    if (lines.length > KEEP) lines.splice(0, lines.length - KEEP);
  };
  return {
    channel,
    info: (m) => {
      keep('info', m);
      channel.info(m);
    },
    warn: (m) => {
      keep('warn', m);
      channel.warn(m);
    },
    error: (m) => {
      keep('error', m);
      channel.error(m);
    },
    recent: () => lines,
    dispose: () => channel.dispose(),
  };
}
