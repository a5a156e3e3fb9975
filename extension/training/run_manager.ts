/**
 * Owns the training runs of the extension host: at most one per model file (a second request asks
 * first), a progress notification with Cancel for each, and the relay of run events to every webview
 * panel that shows that model. Training itself runs on a worker thread (engine/train/host), so the
 * extension host only relays messages and writes files.
 */
import * as vscode from 'vscode';
import { startRun, type TrainingRun } from '../../engine/train/host';
import type { MetricsRecord, PlotGrid, RunInfo, RunResult } from '../../engine/train/protocol';
import type { HostToPanel } from '../../protocol/training';
import { gridMessage, infoMessage } from './convert';
import { KeyedQueue } from '../keyed_queue';

export interface ActiveRun {
  run: TrainingRun;
  /** null until the data is read and training starts. */
  info: RunInfo | null;
  /** Bytes of the data file read so far, while info is null. */
  loading: { bytes: number; totalBytes: number } | null;
  history: MetricsRecord[];
  grid: PlotGrid | null;
}

export interface RunManagerOptions {
  /** Path of the training worker when not beside the bundle (tests); see engine/train/host. */
  workerPath?: string;
  /** Where runs/ goes: default beside the model file. */
  outDir?: (modelUri: vscode.Uri) => string | undefined;
}

type Listener = (msg: HostToPanel) => void;

export class RunManager implements vscode.Disposable {
  private readonly active = new Map<string, ActiveRun>();
  /** Start requests by model, taken one at a time (see start). */
  private readonly starting = new KeyedQueue();
  private readonly lastResult = new Map<string, RunResult>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires when a run of a model starts or ends (the Runs view refreshes). */
  readonly onDidChangeRuns = this.changed.event;
  private readonly posted = new vscode.EventEmitter<{ modelUri: vscode.Uri; message: HostToPanel }>();
  /** Every run message, of every model (the training host forwards them to the model's panels). */
  readonly onDidPost = this.posted.event;

  constructor(private readonly options: RunManagerOptions = {}) {}

  isRunning(modelUri: vscode.Uri): boolean {
    return this.active.has(modelUri.toString());
  }

  /** Subscribes a panel to a model's run messages; returns the unsubscribe. */
  subscribe(modelUri: vscode.Uri, listener: Listener): vscode.Disposable {
    const key = modelUri.toString();
    let set = this.listeners.get(key);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(key, set);
    }
    set.add(listener);
    return new vscode.Disposable(() => set!.delete(listener));
  }

  /** The message a panel needs on opening: the live run's history, or the last result. */
  stateMessage(modelUri: vscode.Uri): HostToPanel {
    const a = this.active.get(modelUri.toString());
    return {
      type: 'training/state',
      running: a !== undefined,
      loading: a?.loading ?? null,
      info: a?.info ? infoMessage(a.info) : null,
      history: a?.history ?? [],
      grid: a?.grid ? gridMessage(a.grid) : null,
      result: a === undefined ? (this.lastResult.get(modelUri.toString()) ?? null) : null,
    };
  }

  private send(modelUri: vscode.Uri, msg: HostToPanel): void {
    for (const l of this.listeners.get(modelUri.toString()) ?? []) l(msg);
    this.posted.fire({ modelUri, message: msg });
  }

  /**
   * Starts a run of the model (the document text as the editor holds it), or continues `resume`.
   * Returns undefined when the user declined to replace a run in progress.
   *
   * Requests for one model are handled one after the other: a double click on Train, or the button and
   * the command together, must not both find "no run in progress" while the first is still starting.
   */
  start(modelUri: vscode.Uri, document: unknown | undefined, resume?: string): Promise<TrainingRun | undefined> {
    return this.starting.run(modelUri.toString(), () => this.startNow(modelUri, document, resume));
  }

  private async startNow(modelUri: vscode.Uri, document: unknown | undefined, resume?: string): Promise<TrainingRun | undefined> {
    const key = modelUri.toString();
    const existing = this.active.get(key);
    if (existing !== undefined) {
      const choice = await vscode.window.showWarningMessage(
        `A training run of ${vscode.workspace.asRelativePath(modelUri)} is in progress. Stop it and start a new one?`,
        { modal: true },
        'Stop and Start New',
      );
      if (choice !== 'Stop and Start New') return undefined;
      existing.run.stop();
      await existing.run.result;
    }
    let run: TrainingRun;
    try {
      run = await startRun({
        documentPath: modelUri.fsPath,
        document,
        resume,
        outDir: this.options.outDir?.(modelUri),
        workerPath: this.options.workerPath,
        // A section naming Fashion-MNIST without `dir` reads it from the setting's folder when one is set.
        overrides: { fashionMnistDir: vscode.workspace.getConfiguration('nnblocks').get<string>('fashionMnistDir') || undefined },
      });
    } catch (e) {
      const message = (e as Error).message;
      this.send(modelUri, { type: 'training/error', message });
      void vscode.window.showErrorMessage(`NN Blocks: cannot start training: ${message}`);
      return undefined;
    }
    const entry: ActiveRun = { run, info: null, loading: null, history: [], grid: null };
    this.active.set(key, entry);
    this.changed.fire(modelUri);
    // Panels hear of the run now, not when its data is read (seconds for a big CSV): they show it as
    // running, with Stop, from the first moment.
    this.send(modelUri, { type: 'training/starting' });
    run.on('loading', (progress) => {
      entry.loading = progress;
      this.send(modelUri, { type: 'training/loading', ...progress });
    });
    run.on('started', (info) => {
      entry.info = info;
      entry.loading = null;
      // A resumed run brings the records before its checkpoint: the curves continue instead of restarting.
      entry.history = [...info.history];
      this.send(modelUri, { type: 'training/started', info: infoMessage(info) });
    });
    run.on('metrics', (record) => {
      entry.history.push(record);
      this.send(modelUri, { type: 'training/metrics', record });
    });
    run.on('grid', (grid) => {
      entry.grid = grid;
      this.send(modelUri, { type: 'training/grid', grid: gridMessage(grid) });
    });
    this.showProgress(modelUri, entry);
    void run.result.then((result) => {
      this.active.delete(key);
      this.lastResult.set(key, result);
      this.send(modelUri, { type: 'training/result', result });
      this.changed.fire(modelUri);
      const show =
        result.status === 'completed' || result.status === 'stopped' ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
      void show(`NN Blocks: ${result.message}`, 'Open Run Folder').then((pick) => {
        if (pick) void revealRunFolder(result.runDir);
      });
    });
    return run;
  }

  stop(modelUri: vscode.Uri): boolean {
    const a = this.active.get(modelUri.toString());
    a?.run.stop();
    return a !== undefined;
  }

  /** VS Code's progress notification; its Cancel button stops the run (keeping what it learned). */
  private showProgress(modelUri: vscode.Uri, entry: ActiveRun): void {
    const title = `Training ${vscode.workspace.asRelativePath(modelUri)}`;
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      token.onCancellationRequested(() => entry.run.stop());
      const onLoading = ({ bytes, totalBytes }: { bytes: number; totalBytes: number }) =>
        progress.report({
          message: `reading the data: ${Math.floor((100 * bytes) / Math.max(1, totalBytes))}% of ${(totalBytes / 1e6).toFixed(1)} MB`,
        });
      entry.run.on('loading', onLoading);
      let reported = 0;
      const onMetrics = (r: MetricsRecord) => {
        const total = entry.info?.totalSteps ?? 1;
        const pct = (100 * r.step) / total;
        const parts = [`step ${r.step}/${total}`, `loss ${r.loss.toFixed(4)}`];
        if (r.accuracy !== undefined) parts.push(`acc ${r.accuracy.toFixed(3)}`);
        parts.push(`${r.stepsPerSec.toFixed(0)} steps/s`, `ETA ${Math.ceil(r.etaSec)} s`);
        progress.report({ increment: pct - reported, message: parts.join(' · ') });
        reported = pct;
      };
      entry.run.on('metrics', onMetrics);
      return entry.run.result.then(() => {
        entry.run.off('metrics', onMetrics);
        entry.run.off('loading', onLoading);
      });
    });
  }

  dispose(): void {
    for (const a of this.active.values()) a.run.stop();
    this.changed.dispose();
    this.posted.dispose();
  }
}

/** The OS file manager where there is one (desktop); VS Code's explorer otherwise (code-server, the web). */
async function revealRunFolder(runDir: string): Promise<void> {
  const uri = vscode.Uri.file(runDir);
  const commands = await vscode.commands.getCommands(true);
  await vscode.commands.executeCommand(
    commands.includes('revealFileInOS') && vscode.env.uiKind === vscode.UIKind.Desktop ? 'revealFileInOS' : 'revealInExplorer',
    uri,
  );
}
