/**
 * The "Runs" tree view: models that have runs, and under each its runs (newest first) with status and
 * final metrics. Items carry the run folder so the context-menu commands (load weights, export ONNX,
 * compare, resume, evaluate) know what to act on.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { listRuns, type RunSummary } from '../../engine/train/runs';

export type RunsNode = { kind: 'model'; name: string; root: string; runs: RunSummary[] } | { kind: 'run'; run: RunSummary };

function describe(r: RunSummary): string {
  const f = r.final;
  const bits: string[] = [r.status];
  if (r.trainer !== undefined) bits.push(`PyTorch${r.trainer.worldSize > 1 ? ` ×${r.trainer.worldSize}` : ''}`);
  if (f?.accuracy !== undefined) bits.push(`acc ${f.accuracy.toFixed(3)}`);
  if (f?.valAccuracy !== undefined) bits.push(`val acc ${f.valAccuracy.toFixed(3)}`);
  if (f?.mse !== undefined) bits.push(`mse ${f.mse.toPrecision(3)}`);
  if (f !== null) bits.push(`loss ${f.loss.toFixed(4)}`);
  else if (r.totalSteps > 0) bits.push(`step ${r.step}/${r.totalSteps}`);
  return bits.join(' · ');
}

const ICONS: Record<string, string> = { completed: 'pass', stopped: 'debug-pause', diverged: 'warning', failed: 'error', running: 'sync~spin' };

export class RunsTreeProvider implements vscode.TreeDataProvider<RunsNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<RunsNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;

  refresh(): void {
    this.emitter.fire(undefined);
  }

  /** Every runs/ folder in the workspace that holds run folders (found by their config.json). */
  private async roots(): Promise<string[]> {
    const found = await vscode.workspace.findFiles('**/runs/*/*/config.json', '**/node_modules/**', 2000);
    return [...new Set(found.map((u) => path.dirname(path.dirname(path.dirname(u.fsPath)))))].sort();
  }

  async getChildren(node?: RunsNode): Promise<RunsNode[]> {
    if (node?.kind === 'run') return [];
    if (node?.kind === 'model') return node.runs.map((run) => ({ kind: 'run', run }));
    const out: RunsNode[] = [];
    for (const root of await this.roots()) {
      const byModel = new Map<string, RunSummary[]>();
      for (const r of await listRuns(root)) {
        const list = byModel.get(r.modelName) ?? [];
        list.push(r);
        byModel.set(r.modelName, list);
      }
      for (const [name, runs] of byModel) out.push({ kind: 'model', name, root, runs });
    }
    return out;
  }

  getTreeItem(node: RunsNode): vscode.TreeItem {
    if (node.kind === 'model') {
      const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Expanded);
      item.description = `${node.runs.length} run${node.runs.length === 1 ? '' : 's'} · ${vscode.workspace.asRelativePath(node.root)}`;
      item.iconPath = new vscode.ThemeIcon('symbol-class');
      item.contextValue = 'nnblocks.runsModel';
      return item;
    }
    const r = node.run;
    const item = new vscode.TreeItem(r.stamp, vscode.TreeItemCollapsibleState.None);
    item.description = describe(r);
    const resume =
      r.trainer !== undefined && r.status === 'running' ? '\n\nResume it with `python train.py --resume <this folder>` in its PyTorch project.' : '';
    item.tooltip = new vscode.MarkdownString(`**${r.modelName}** ${r.stamp}\n\n${r.message || r.status}${resume}\n\n\`${r.runDir}\``);
    item.iconPath = new vscode.ThemeIcon(ICONS[r.status] ?? 'circle-outline');
    item.resourceUri = vscode.Uri.file(r.runDir);
    // Distinct context values let package.json show "Resume" only where it applies: a PyTorch run
    // resumes with its project's `train.py --resume`, not in the editor.
    item.contextValue = `nnblocks.run.${r.trainer !== undefined ? 'pytorch.' : ''}${r.status}${r.hasModel ? '.model' : ''}`;
    item.command = { command: 'nnblocks.runs.open', title: 'Open Run', arguments: [node] };
    return item;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
