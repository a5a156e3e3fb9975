/**
 * In-host checks for the real-VS-Code tests: when NNB_HOST_TEST_OUT names a file, this writes there,
 * twice a second, what only the `vscode` API can see: registered commands, diagnostics per model, open
 * documents' dirty state and version, Workspace Trust, the settings the tests depend on, the last lines of the "NN Blocks" log. The browser
 * test reads the file. Off otherwise.
 */
import * as vscode from 'vscode';
import { promises as fsp } from 'node:fs';
import type { Log } from './log';

export function registerHostTestReport(context: vscode.ExtensionContext, activeModel: () => vscode.Uri | undefined, log: Log): void {
  const out = process.env.NNB_HOST_TEST_OUT;
  if (!out) return;
  // Which extension host wrote: after a window reload the old host may write once more before it exits, so a
  // test waits for a report from a host that started after the reload.
  const host = { pid: process.pid, startedAt: new Date().toISOString() };
  const write = async () => {
    {
      const commands = (await vscode.commands.getCommands(true)).filter((c) => c.startsWith('nnblocks.'));
      const diagnostics = vscode.languages
        .getDiagnostics()
        .filter(([uri]) => uri.path.endsWith('.nnb.json'))
        .map(([uri, list]) => ({
          file: vscode.workspace.asRelativePath(uri),
          messages: list.map((d) => ({ line: d.range.start.line + 1, severity: d.severity, message: d.message })),
        }));
      const documents = vscode.workspace.textDocuments
        .filter((d) => d.uri.path.endsWith('.nnb.json'))
        .map((d) => ({ file: vscode.workspace.asRelativePath(d.uri), dirty: d.isDirty, version: d.version }));
      const report = {
        at: new Date().toISOString(),
        host,
        trusted: vscode.workspace.isTrusted,
        activeModel: activeModel() ? vscode.workspace.asRelativePath(activeModel() as vscode.Uri) : null,
        commands,
        diagnostics,
        documents,
        settings: {
          'files.autoSave': vscode.workspace.getConfiguration('files').get<string>('autoSave') ?? null,
          'workbench.editorAssociations': vscode.workspace.getConfiguration('workbench').get<unknown>('editorAssociations') ?? null,
        },
        log: log.recent(),
      };
      await fsp.writeFile(`${out}.tmp`, JSON.stringify(report, null, 2));
      await fsp.rename(`${out}.tmp`, out);
    }
  };
  const timer = setInterval(() => void write().catch(() => undefined), 500);
  context.subscriptions.push(new vscode.Disposable(() => clearInterval(timer)));
}
