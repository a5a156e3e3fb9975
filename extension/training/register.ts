/**
 * Training in the extension: registers its commands (Train, Stop, the Runs view's) here and nowhere
 * else, the Runs view and the run manager, and answers the training panel's messages (handleMessage).
 * Everything for a model's panels goes through the editor's one registry of panels (`deps.panels`).
 *
 * Call `registerTraining(context, deps)` once from activate(); package.json contributes the commands, the
 * `nnblocks.runs` view and its menus.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { promises as fsp } from 'node:fs';
import { RunManager } from './run_manager';
import { RunsTreeProvider, type RunsNode } from './runs_tree';
import { evaluateRun, predictRun, predictRunRows, loadRunModel, type Prediction } from '../../engine/train/after';
import { encodeTensors } from '../../engine/train/codec';
import { inputsError, parseInputs, parseRowSpec } from '../../engine/train/inputs';
import { renderCompareSvg } from '../../engine/train/plots/loss_svg';
import { exportOnnxFile } from '../../engine/train/onnx';
import { readRunConfig, readMetrics, writeFileAtomic, MODEL_FILE, PLOTS_DIR, CONFIG_FILE } from '../../engine/train/run_folder';
import { listRuns, resumeWarning, summarizeRun } from '../../engine/train/runs';
import { previewCsv } from '../../engine/train/preview';
import { modelShapes } from '../../engine/train/document';
import { isPanelToHost, type HostToPanel } from '../../protocol/training';
import type { ModelPanels } from '../editor/panels';
import { ImageDataHost, isImageRequest, previewImageMessage } from './images';

export const RUNS_VIEW_ID = 'nnblocks.runs';
const RESUME_ANYWAY = 'Resume Anyway';

export interface TrainingDeps {
  /** The open graph editors (extension/editor/panels.ts): run messages and answers go to a model's panels. */
  panels: ModelPanels;
  /** The model document as the editor holds it (unsaved edits included); undefined reads the file. */
  getDocument?: (modelUri: vscode.Uri) => unknown | undefined;
  /** The model file of the active NN Blocks editor, for commands run from the palette. */
  activeModelUri?: () => vscode.Uri | undefined;
  /** Loads trained weights into the editor; without it, model.safetensors is copied beside the model file. */
  loadWeights?: (modelUri: vscode.Uri, weightsFile: string) => Promise<void> | void;
  /** The training worker, when it is not train-worker.js beside the bundle. */
  workerPath?: string;
}

export interface Training {
  manager: RunManager;
  runsTree: RunsTreeProvider;
  /** Starts a run of a model, the one given or the active one (asks first when one is in progress); refused in an untrusted workspace. */
  train(modelUri?: vscode.Uri): Promise<void>;
  /** Handles a message from a panel of `modelUri` (answers go to all its panels); false when it is not a training message. */
  handleMessage(modelUri: vscode.Uri, msg: unknown): boolean;
}

async function pickModel(deps: TrainingDeps, arg?: vscode.Uri): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const active = deps.activeModelUri?.() ?? vscode.window.activeTextEditor?.document.uri;
  if (active !== undefined && active.path.endsWith('.nnb.json')) return active;
  const files = await vscode.workspace.findFiles('**/*.nnb.json', '**/node_modules/**', 500);
  if (files.length === 0) {
    void vscode.window.showErrorMessage('NN Blocks: no *.nnb.json model in the workspace to train');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    files.map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u })),
    { placeHolder: 'Model to train' },
  );
  return pick?.uri;
}

/** The model file a run was made from (config.json keeps its path). */
async function modelOfRun(runDir: string): Promise<vscode.Uri> {
  const cfg = await readRunConfig(runDir);
  if (cfg.documentPath === null) throw new Error(`${runDir}: config.json does not name its model file`);
  return vscode.Uri.file(cfg.documentPath);
}

/** `context` is the extension's (only its subscriptions are used: what training registers is disposed with it). */
export function registerTraining(context: Pick<vscode.ExtensionContext, 'subscriptions'>, deps: TrainingDeps): Training {
  const manager = new RunManager({ workerPath: deps.workerPath });
  const runsTree = new RunsTreeProvider();
  const output = vscode.window.createOutputChannel('NN Blocks Training');
  context.subscriptions.push(
    manager,
    runsTree,
    output,
    manager.onDidChangeRuns(() => runsTree.refresh()),
  );
  // Multi-select, so two runs can be compared from their context menu.
  context.subscriptions.push(vscode.window.createTreeView(RUNS_VIEW_ID, { treeDataProvider: runsTree, canSelectMany: true, showCollapseAll: true }));
  const watcher = vscode.workspace.createFileSystemWatcher('**/runs/*/*/result.json');
  context.subscriptions.push(
    watcher,
    watcher.onDidCreate(() => runsTree.refresh()),
    watcher.onDidDelete(() => runsTree.refresh()),
  );

  // A panel shows training only in a trusted workspace (the webview says why otherwise).
  const hasPanel = (modelUri: vscode.Uri) => vscode.workspace.isTrusted && deps.panels.has(modelUri);
  const postToModel = (modelUri: vscode.Uri, msg: HostToPanel) => {
    if (hasPanel(modelUri)) deps.panels.postAll(modelUri, msg);
  };
  context.subscriptions.push(manager.onDidPost(({ modelUri, message }) => postToModel(modelUri, message)));

  const train = async (arg?: vscode.Uri) => {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('NN Blocks: training runs code on this machine, so it is disabled until you trust this workspace.');
      return;
    }
    const uri = await pickModel(deps, arg);
    if (uri !== undefined) await manager.start(uri, deps.getDocument?.(uri));
  };

  const evaluate = async (runDir: string, quiet = false) => {
    const ev = await evaluateRun(runDir);
    output.appendLine(`Evaluate ${runDir} (${ev.split} split, ${ev.samples} samples, weights ${ev.weights})`);
    output.appendLine(
      `  loss ${ev.loss.toFixed(6)}${ev.accuracy !== undefined ? `, accuracy ${ev.accuracy.toFixed(4)}` : ''}${ev.mse !== undefined ? `, MSE ${ev.mse.toPrecision(5)}` : ''}`,
    );
    if (ev.confusion) {
      output.appendLine('  confusion matrix (rows: true class, columns: predicted):');
      ev.confusion.forEach((row, i) => {
        const name = ev.classNames?.[i] ?? String(i);
        const acc = ev.perClassAccuracy?.[i];
        output.appendLine(
          `    ${name}: ${row.map((v) => String(v).padStart(6)).join('')}${acc === undefined ? '' : `   (${(acc * 100).toFixed(1)}% right)`}`,
        );
      });
    }
    if (!quiet) output.show(true);
    postToModel(await modelOfRun(runDir), {
      type: 'training/evaluation',
      runDir,
      split: ev.split,
      loss: ev.loss,
      accuracy: ev.accuracy,
      mse: ev.mse,
      confusion: ev.confusion,
      classNames: ev.classNames,
      perClassAccuracy: ev.perClassAccuracy,
      samples: ev.samples,
      ...(ev.worst !== undefined && ev.worstImages !== undefined
        ? { worst: ev.worst.map((w, i) => ({ ...w, image: previewImageMessage(ev.worstImages![i]) })) }
        : {}),
    });
  };

  /** Typed inputs, or `rows` ("1-5, 9") of a CSV (`file`, default the run's own), through the engine and onnxruntime. */
  const predict = async (runDir: string, how: { inputs: number[][] } | { rows: string; file?: string }) => {
    let p: Prediction & { inputs: number[][]; rowNumbers?: number[]; labels?: number[]; file?: string };
    if ('inputs' in how) p = { ...(await predictRun(runDir, how.inputs)), inputs: how.inputs };
    else p = await predictRunRows(runDir, parseRowSpec(how.rows), how.file);
    output.appendLine(`Predict ${runDir}${'rows' in how ? ` on rows ${how.rows} of ${p.file}` : ''}`);
    p.inputs.forEach((row, i) => {
      const head = p.rowNumbers !== undefined ? `row ${p.rowNumbers[i]} (label ${p.labels?.[i]})` : `[${row.join(', ')}]`;
      output.appendLine(
        `  ${head} -> engine [${p.engine[i].map((v) => v.toPrecision(6)).join(', ')}]${p.onnx ? `  onnxruntime [${p.onnx[i].map((v) => v.toPrecision(6)).join(', ')}]` : ''}`,
      );
    });
    output.appendLine(p.onnx ? `  max |engine - onnxruntime| = ${p.maxAbsDiff?.toExponential(2)}` : `  onnxruntime: ${p.onnxError}`);
    output.show(true);
    postToModel(await modelOfRun(runDir), {
      type: 'training/prediction',
      runDir,
      inputs: p.inputs,
      rowNumbers: p.rowNumbers,
      labels: p.labels,
      engine: p.engine,
      onnx: p.onnx,
      onnxError: p.onnxError,
    });
  };

  /** Two runs' curves: in the model's training panels when one is open, else as an SVG opened in the editor. */
  const compareMessage = async (a: string, b: string) =>
    ({
      type: 'training/compare',
      a: { stamp: path.basename(a), metrics: await readMetrics(a) },
      b: { stamp: path.basename(b), metrics: await readMetrics(b) },
    }) satisfies HostToPanel;
  const compare = async (a: string, b: string) => {
    const msg = await compareMessage(a, b);
    const model = await modelOfRun(a);
    if (hasPanel(model)) return postToModel(model, msg);
    const file = path.join(a, PLOTS_DIR, `compare-${msg.b.stamp}.svg`);
    await writeFileAtomic(file, await renderCompareSvg(msg.a, msg.b, `${path.basename(path.dirname(a))}: ${msg.a.stamp} vs ${msg.b.stamp}`));
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file));
  };

  // Resuming a diverged run repeats what diverged: say so first, and resume only when the user insists.
  const confirmResume = async (dir: string): Promise<boolean> => {
    const warning = resumeWarning(await summarizeRun(dir));
    return (
      warning === undefined || (await vscode.window.showWarningMessage(`NN Blocks: ${warning}`, { modal: true }, RESUME_ANYWAY)) === RESUME_ANYWAY
    );
  };
  const guard =
    (fn: (...a: never[]) => Promise<void>) =>
    async (...a: never[]) => {
      try {
        await fn(...a);
      } catch (e) {
        void vscode.window.showErrorMessage(`NN Blocks: ${(e as Error).message}`);
      }
    };
  const runDirOf = (node?: RunsNode): string | undefined => (node?.kind === 'run' ? node.run.runDir : undefined);
  const askRun = async (node?: RunsNode): Promise<string | undefined> => {
    const given = runDirOf(node);
    if (given !== undefined) return given;
    const dirs = await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, openLabel: 'Select run folder' });
    return dirs?.[0]?.fsPath;
  };

  const commands: [string, (...a: never[]) => Promise<void>][] = [
    ['nnblocks.train', (arg?: vscode.Uri) => train(arg)],
    [
      'nnblocks.stopTraining',
      async (arg?: vscode.Uri) => {
        const uri = await pickModel(deps, arg);
        if (uri !== undefined && !manager.stop(uri))
          void vscode.window.showInformationMessage('NN Blocks: no training run of this model is in progress');
      },
    ],
    ['nnblocks.runs.refresh', async () => runsTree.refresh()],
    [
      'nnblocks.runs.open',
      async (node?: RunsNode) => {
        const dir = runDirOf(node);
        if (dir === undefined) return;
        for (const f of [`${PLOTS_DIR}/decision_boundary.png`, `${PLOTS_DIR}/fitted_curve.png`, `${PLOTS_DIR}/loss.svg`, CONFIG_FILE]) {
          try {
            await fsp.access(path.join(dir, f));
            await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(path.join(dir, f)));
            return;
          } catch {
            // try the next file
          }
        }
      },
    ],
    [
      'nnblocks.runs.resume',
      async (node?: RunsNode) => {
        const dir = await askRun(node);
        if (dir !== undefined && (await confirmResume(dir))) await manager.start(await modelOfRun(dir), undefined, dir);
      },
    ],
    [
      'nnblocks.runs.evaluate',
      async (node?: RunsNode) => {
        const dir = await askRun(node);
        if (dir !== undefined) await evaluate(dir);
      },
    ],
    [
      'nnblocks.runs.predict',
      async (node?: RunsNode) => {
        const dir = await askRun(node);
        if (dir === undefined) return;
        const typed = 'Type input values';
        const pick = await vscode.window.showQuickPick([{ label: typed }, { label: 'Rows of a CSV file' }], { placeHolder: 'Predict on' });
        if (pick === undefined) return;
        if (pick.label === typed) {
          const text = await vscode.window.showInputBox({
            prompt: 'Input values: numbers separated by commas, samples separated by semicolons',
            placeHolder: '0.5, -1.2; 2, 0.1',
            validateInput: inputsError,
          });
          if (text) await predict(dir, { inputs: parseInputs(text) });
          return;
        }
        const cfg = await readRunConfig(dir);
        const own =
          cfg.resolved.data.kind === 'csv' && cfg.documentPath !== null
            ? path.resolve(path.dirname(cfg.documentPath), cfg.resolved.data.path)
            : undefined;
        const files = await vscode.window.showOpenDialog({
          canSelectMany: false,
          filters: { CSV: ['csv'] },
          openLabel: 'Predict on rows of',
          defaultUri: own === undefined ? undefined : vscode.Uri.file(own),
        });
        if (files?.[0] === undefined) return;
        const rows = await vscode.window.showInputBox({
          prompt: 'Data rows (1 is the first row after the header)',
          value: '1-5',
          placeHolder: '1-5, 9',
          validateInput: (t) => {
            try {
              parseRowSpec(t);
              return null;
            } catch (e) {
              return (e as Error).message;
            }
          },
        });
        if (rows) await predict(dir, { rows, file: files[0].fsPath });
      },
    ],
    [
      'nnblocks.runs.exportOnnx',
      async (node?: RunsNode) => {
        const dir = await askRun(node);
        if (dir === undefined) return;
        const cfg = await readRunConfig(dir);
        const target = await vscode.window.showSaveDialog({
          defaultUri: vscode.Uri.file(path.join(dir, `${cfg.resolved.modelName}.onnx`)),
          filters: { ONNX: ['onnx'] },
        });
        if (target === undefined) return;
        const { weights, source } = await loadRunModel(dir);
        exportOnnxFile(cfg.document, weights, target.fsPath);
        void vscode.window.showInformationMessage(`NN Blocks: exported ${path.basename(target.fsPath)} with the weights of ${source}`);
      },
    ],
    [
      'nnblocks.runs.loadWeights',
      async (node?: RunsNode) => {
        const dir = await askRun(node);
        if (dir === undefined) return;
        const modelUri = await modelOfRun(dir);
        // The final weights, or for a run that has none (diverged, killed) its last good checkpoint's.
        const { weights, source } = await loadRunModel(dir);
        if (deps.loadWeights !== undefined && source === MODEL_FILE) await deps.loadWeights(modelUri, path.join(dir, MODEL_FILE));
        else {
          const target = modelUri.fsPath.replace(/\.nnb\.json$/, '.safetensors');
          await writeFileAtomic(target, encodeTensors(weights, { format: 'pt' }));
          void vscode.window.showInformationMessage(
            `NN Blocks: the weights of ${source} are now ${vscode.workspace.asRelativePath(target)}; Export ONNX on this model uses them`,
          );
        }
      },
    ],
    [
      'nnblocks.runs.compare',
      async (node?: RunsNode, selected?: RunsNode[]) => {
        let dirs = (selected ?? []).map(runDirOf).filter((d): d is string => d !== undefined);
        const first = runDirOf(node);
        if (dirs.length < 2 && first !== undefined) {
          const cfg = await readRunConfig(first);
          const others = (await listRuns(path.dirname(path.dirname(first)), cfg.resolved.modelName)).filter((r) => r.runDir !== first);
          const pick = await vscode.window.showQuickPick(
            others.map((r) => ({ label: r.stamp, description: r.status, runDir: r.runDir })),
            { placeHolder: 'Compare with which run?' },
          );
          if (pick === undefined) return;
          dirs = [first, pick.runDir];
        }
        if (dirs.length < 2) return;
        await compare(dirs[0], dirs[1]);
      },
    ],
  ];
  for (const [id, fn] of commands) context.subscriptions.push(vscode.commands.registerCommand(id, guard(fn)));

  const images = new ImageDataHost();
  const handleMessage = (modelUri: vscode.Uri, m: unknown): boolean => {
    if (!isPanelToHost(m)) return false;
    const post = (msg: HostToPanel) => postToModel(modelUri, msg);
    const fail = (e: unknown) => post({ type: 'training/error', message: (e as Error).message });
    const runsRoot = path.join(path.dirname(modelUri.fsPath), 'runs');
    // A run the panel names must be one of this model's runs (the panel lists only those): a message can
    // never point the host at another folder to resume into, evaluate or read.
    const ownRuns = (...dirs: string[]): boolean => {
      const outside = dirs.find((d) => !path.resolve(d).startsWith(runsRoot + path.sep));
      if (outside !== undefined) fail(new Error(`${outside} is not a run of this model (its runs are in ${runsRoot})`));
      return outside === undefined;
    };
    if (isImageRequest(m)) {
      // Image previews, normalization and Predict on an image: extension/training/images.ts.
      if (m.type !== 'training/predictImage' || ownRuns(m.runDir)) {
        const fashionMnistDir = vscode.workspace.getConfiguration('nnblocks').get<string>('fashionMnistDir') || undefined;
        void images
          .handle(m, { modelPath: modelUri.fsPath, document: deps.getDocument?.(modelUri), fashionMnistDir, post, log: (l) => output.appendLine(l) })
          .catch(fail);
      }
      return true;
    }
    const sendRuns = async () => {
      const doc = deps.getDocument?.(modelUri);
      const name =
        typeof doc === 'object' && doc !== null && typeof (doc as { name?: unknown }).name === 'string'
          ? (doc as { name: string }).name
          : path.basename(modelUri.fsPath).replace(/\.nnb\.json$/, '');
      const runs = await listRuns(runsRoot, name);
      post({
        type: 'training/runs',
        runs: runs.map((r) => ({
          runDir: r.runDir,
          stamp: r.stamp,
          status: r.status,
          step: r.step,
          totalSteps: r.totalSteps,
          final: r.final,
          resumeWarning: resumeWarning(r),
        })),
      });
    };
    switch (m.type) {
      case 'training/ready':
        post(manager.stateMessage(modelUri));
        void sendRuns().catch(fail);
        break;
      case 'training/start':
        void manager.start(modelUri, deps.getDocument?.(modelUri)).catch(fail);
        break;
      case 'training/stop':
        manager.stop(modelUri);
        break;
      case 'training/resume':
        if (ownRuns(m.runDir))
          void confirmResume(m.runDir)
            .then((yes) => (yes ? manager.start(modelUri, undefined, m.runDir) : undefined))
            .catch(fail);
        break;
      case 'training/listRuns':
        void sendRuns().catch(fail);
        break;
      case 'training/compare':
        if (ownRuns(m.a, m.b)) void compareMessage(m.a, m.b).then(post).catch(fail);
        break;
      case 'training/evaluate':
        if (ownRuns(m.runDir)) void evaluate(m.runDir, m.quiet).catch(fail);
        break;
      case 'training/predict':
        if (ownRuns(m.runDir)) void predict(m.runDir, m.rows !== undefined ? { rows: m.rows, file: m.file } : { inputs: m.inputs ?? [] }).catch(fail);
        break;
      case 'training/previewCsv': {
        // The file's first rows are checked against the section the panel has and the model as the editor holds it.
        const shapes = m.section === undefined ? null : modelShapes(deps.getDocument?.(modelUri));
        const check = shapes === null ? undefined : { section: m.section, ...shapes };
        void previewCsv(path.resolve(path.dirname(modelUri.fsPath), m.path), 10, check)
          .then((preview) => post({ type: 'training/csvPreview', preview, seq: m.seq }))
          .catch(fail);
        break;
      }
    }
    return true;
  };

  context.subscriptions.push(manager.onDidChangeRuns((uri) => void handleMessage(uri, { type: 'training/listRuns' })));
  return { manager, runsTree, train, handleMessage };
}
