/**
 * The NN Blocks commands: New Model, Generate TypeScript / PyTorch, Export ONNX, Check Model, Open in
 * Text Editor. They act on the model of the active NN Blocks editor (unsaved edits included), the file
 * given by a context menu, or the active text editor's *.nnb.json.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import {
  analyzeDocument,
  generatePyTorch,
  generateTypeScript,
  isIdentifier,
  parseDocument,
  serializeDocument,
  validateDocument,
  type ModelDocument,
} from '../engine/graph';
import { exportOnnx } from '../engine/graph/onnx/file';
import { loadSafetensors } from '../engine/io';
import type { Tensor } from '../engine';
import { existsSync } from 'node:fs';
import type { HostCommand } from '../protocol/editor';
import { analysisOptions } from './editor/diagnostics';
import { VIEW_TYPE } from './editor/provider';
import type { Log } from './log';
import { TEMPLATES } from './templates';
import { generatePyTorchProject, writePyTorchProject } from '../engine/train/pytorch_project';
import { listRuns } from '../engine/train/runs';
import { MODEL_FILE } from '../engine/train/run_folder';

export interface CommandContext {
  activeModel(): vscode.Uri | undefined;
  documentFor(uri: vscode.Uri): vscode.TextDocument | undefined;
  train(uri: vscode.Uri): Promise<void> | void;
  log: Log;
}

async function targetModel(ctx: CommandContext, arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const active = ctx.activeModel() ?? vscode.window.activeTextEditor?.document.uri;
  if (active?.path.endsWith('.nnb.json')) return active;
  void vscode.window.showErrorMessage('NN Blocks: open a *.nnb.json model first');
  return undefined;
}

async function loadModel(ctx: CommandContext, uri: vscode.Uri): Promise<ModelDocument | undefined> {
  const doc = ctx.documentFor(uri) ?? (await vscode.workspace.openTextDocument(uri));
  const v = validateDocument(doc.getText());
  if (v.ok) return v.document;
  const first = v.issues[0];
  void vscode.window.showErrorMessage(
    `NN Blocks: ${path.basename(uri.fsPath)} is not a valid model: ${first.line ? `line ${first.line}: ` : ''}${first.path || '(document)'}: ${first.message}`,
  );
  return undefined;
}

/** Opens generated code in a new editor or writes it next to the model, as the setting (or the user) says. */
async function deliverCode(uri: vscode.Uri, code: string, language: 'typescript' | 'python', suffix: string): Promise<void> {
  const setting = vscode.workspace.getConfiguration('nnblocks').get<'ask' | 'editor' | 'file'>('generatedCode', 'ask');
  let choice = setting;
  if (choice === 'ask') {
    const pick = await vscode.window.showQuickPick(
      [
        { label: 'Open in a new editor', value: 'editor' as const },
        { label: `Write ${path.basename(uri.fsPath).replace(/\.nnb\.json$/, suffix)} next to the model`, value: 'file' as const },
      ],
      { placeHolder: 'Where should the generated code go?' },
    );
    if (pick === undefined) return;
    choice = pick.value;
  }
  if (choice === 'editor') {
    const doc = await vscode.workspace.openTextDocument({ language, content: code });
    await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
    return;
  }
  const target = vscode.Uri.file(uri.fsPath.replace(/\.nnb\.json$/, suffix));
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(code));
  await vscode.window.showTextDocument(target, { preview: false, viewColumn: vscode.ViewColumn.Beside });
}

/**
 * Generate PyTorch Project: model.py, data.py, a DDP train.py and a README in <model>_pytorch/ beside the
 * model (asking before it replaces that folder's files), then opens the README with the commands.
 */
async function generateProject(ctx: CommandContext, arg: unknown): Promise<void> {
  const uri = await targetModel(ctx, arg);
  if (uri === undefined) return;
  const model = await loadModel(ctx, uri);
  if (model === undefined) return;
  const dir = uri.fsPath.replace(/\.nnb\.json$/, '_pytorch');
  if (
    existsSync(dir) &&
    (await vscode.window.showWarningMessage(`NN Blocks: ${path.basename(dir)} exists; replace its generated files?`, { modal: true }, 'Replace')) !==
      'Replace'
  )
    return;
  await writePyTorchProject(dir, generatePyTorchProject(model, { sourceName: path.basename(uri.fsPath), documentDir: '..' }));
  await vscode.window.showTextDocument(vscode.Uri.file(path.join(dir, 'README.md')), { preview: false, viewColumn: vscode.ViewColumn.Beside });
}

interface WeightsSource {
  /** A safetensors file, or null for freshly initialised weights. */
  file: string | null;
  /** What the export says it used. */
  says: string;
  label: string;
  description?: string;
}

/**
 * The weights Export ONNX uses: the latest completed run of the model (what the user just trained), the
 * weights loaded beside the model (<model>.safetensors, from "Load Run Weights into Model"), or, with
 * neither, freshly initialised ones. With both, it asks, the latest run first; undefined: cancelled.
 */
async function pickWeights(uri: vscode.Uri, model: ModelDocument): Promise<WeightsSource | undefined> {
  const sources: WeightsSource[] = [];
  const latest = (await listRuns(path.join(path.dirname(uri.fsPath), 'runs'), model.name)).find((r) => r.status === 'completed' && r.hasModel);
  if (latest !== undefined) {
    const metric =
      latest.final?.accuracy !== undefined
        ? `training accuracy ${latest.final.accuracy.toFixed(4)}`
        : latest.final?.mse !== undefined
          ? `training MSE ${latest.final.mse.toPrecision(4)}`
          : 'completed';
    sources.push({
      file: path.join(latest.runDir, MODEL_FILE),
      says: `the weights of the latest run, ${latest.stamp} (${metric})`,
      label: `Latest run ${latest.stamp}`,
      description: metric,
    });
  }
  // Weights loaded from a run ("Load Run Weights into Model") sit beside the model as <model>.safetensors.
  const beside = uri.fsPath.replace(/\.nnb\.json$/, '.safetensors');
  if (existsSync(beside))
    sources.push({ file: beside, says: `the weights in ${path.basename(beside)}`, label: path.basename(beside), description: 'loaded from a run' });
  if (sources.length === 0)
    return { file: null, says: 'freshly initialised weights: train the model first to export its trained weights', label: '' };
  if (sources.length === 1) return sources[0];
  return vscode.window.showQuickPick([...sources, { file: null, says: 'freshly initialised weights', label: 'Freshly initialised weights' }], {
    placeHolder: 'Export ONNX with which weights?',
  });
}

export function registerCommands(context: vscode.ExtensionContext, ctx: CommandContext): (command: HostCommand, uri: vscode.Uri) => void {
  const run = async (command: HostCommand, uri: vscode.Uri): Promise<void> => {
    switch (command) {
      case 'openText':
        // Beside the graph, so the JSON and the graph can be read side by side (and the graph stays open).
        await vscode.commands.executeCommand('vscode.openWith', uri, 'default', vscode.ViewColumn.Beside);
        return;
      case 'train':
        // Training refuses itself in an untrusted workspace (extension/training/register.ts).
        await ctx.train(uri);
        return;
    }
    const model = await loadModel(ctx, uri);
    if (model === undefined) return;
    switch (command) {
      case 'checkModel': {
        const a = analyzeDocument(model, analysisOptions());
        const errors = a.diagnostics.filter((d) => d.severity === 'error');
        ctx.log.channel.appendLine(
          `${path.basename(uri.fsPath)}: output ${a.outputShape ? `[${a.outputShape.join(', ')}]` : '?'}, ${a.totalParams.toLocaleString('en-US')} parameters`,
        );
        for (const d of a.diagnostics) ctx.log.channel.appendLine(`  ${d.severity} ${d.id || '(model)'}: ${d.message}`);
        if (errors.length === 0)
          void vscode.window.showInformationMessage(
            `NN Blocks: ${model.name} checks: output [${a.outputShape?.join(', ')}], ${a.totalParams.toLocaleString('en-US')} parameters`,
          );
        else
          void vscode.window
            .showErrorMessage(`NN Blocks: ${model.name} has ${errors.length} error(s): ${errors[0].message}`, 'Show Problems')
            .then((b) => b && vscode.commands.executeCommand('workbench.actions.view.problems'));
        return;
      }
      case 'generateTypeScript':
        await deliverCode(uri, await generateTypeScript(model), 'typescript', '.ts');
        return;
      case 'generatePyTorch':
        // The same file as `nnb codegen --lang py -o <model>.py`: the model and its training script, reading
        // the data relative to the model's folder (where the file goes, or where an untitled one is saved).
        await deliverCode(uri, generatePyTorch(model, { training: true, sourceName: path.basename(uri.fsPath), documentDir: '' }), 'python', '.py');
        return;
      case 'exportOnnx': {
        const target = uri.fsPath.replace(/\.nnb\.json$/, '.onnx');
        const source = await pickWeights(uri, model);
        if (source === undefined) return;
        let weights: Record<string, Tensor> | null = null;
        if (source.file !== null) {
          try {
            weights = loadSafetensors(source.file).tensors;
          } catch (e) {
            throw new Error(`cannot read ${source.says}: ${(e as Error).message}`);
          }
        }
        let bytes: number;
        try {
          bytes = exportOnnx(model, weights, target);
        } catch (e) {
          throw new Error(
            weights ? `${source.says} do not fit ${path.basename(uri.fsPath)} (changed since?): ${(e as Error).message}` : (e as Error).message,
          );
        }
        void vscode.window.showInformationMessage(`NN Blocks: exported ${path.basename(target)} (${(bytes / 1024).toFixed(1)} KiB, ${source.says})`);
        return;
      }
    }
  };
  const guarded = (command: HostCommand, uri: vscode.Uri) =>
    void run(command, uri).catch((e: unknown) => {
      ctx.log.error(`${path.basename(uri.fsPath)}: ${command} failed: ${(e as Error).stack ?? (e as Error).message}`);
      void vscode.window.showErrorMessage(`NN Blocks: ${(e as Error).message}`);
    });
  const fromPalette = (command: HostCommand) => async (arg?: unknown) => {
    const uri = await targetModel(ctx, arg);
    if (uri !== undefined) guarded(command, uri);
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('nnblocks.newModel', (folder?: unknown) => newModel(folder instanceof vscode.Uri ? folder : undefined)),
    vscode.commands.registerCommand('nnblocks.generateTypeScript', fromPalette('generateTypeScript')),
    vscode.commands.registerCommand('nnblocks.generatePyTorch', fromPalette('generatePyTorch')),
    vscode.commands.registerCommand('nnblocks.generatePyTorchProject', (arg?: unknown) =>
      generateProject(ctx, arg).catch((e: unknown) => void vscode.window.showErrorMessage(`NN Blocks: ${(e as Error).message}`)),
    ),
    vscode.commands.registerCommand('nnblocks.exportOnnx', fromPalette('exportOnnx')),
    vscode.commands.registerCommand('nnblocks.checkModel', fromPalette('checkModel')),
    vscode.commands.registerCommand('nnblocks.openInTextEditor', fromPalette('openText')),
    // The canvas handles Ctrl+G (group) and Ctrl+Shift+G (ungroup) itself, but VS Code also receives every
    // key pressed in a webview and would open Go to Line or Source Control on top: package.json binds those
    // keys to this command while the graph editor has the focus, so they stop here.
    vscode.commands.registerCommand('nnblocks.canvasShortcut', () => undefined),
    vscode.commands.registerCommand('nnblocks.openInGraphEditor', async (arg?: unknown) => {
      const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
      if (uri) await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE);
    }),
  );
  return guarded;
}

/** New Model...: a template, a name, and the file `<name>.nnb.json` in the folder it was run on (the explorer's context menu) or the workspace's first folder. */
async function newModel(into: vscode.Uri | undefined): Promise<void> {
  const pick = await vscode.window.showQuickPick(
    TEMPLATES.map((t) => ({ label: t.label, detail: t.detail, template: t })),
    { placeHolder: 'Start from a template' },
  );
  if (pick === undefined) return;
  const folder = into ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = await vscode.window.showInputBox({
    prompt: 'Model name (the file name, and the class name in generated code)',
    value: pick.template.id === 'blank' ? 'model' : String((pick.template.document as { name: string }).name),
    validateInput: (v) => (isIdentifier(v) ? null : 'letters, digits and _, not starting with a digit'),
  });
  if (name === undefined) return;
  // Templates are valid models (test/extension/templates.test.ts): parsing fills in the schema's defaults.
  const text = serializeDocument(parseDocument({ ...(pick.template.document as object), name }));
  let target = folder ? vscode.Uri.joinPath(folder, `${name}.nnb.json`) : undefined;
  if (target === undefined) {
    target = await vscode.window.showSaveDialog({ filters: { 'NN Blocks model': ['nnb.json'] }, saveLabel: 'Create model' });
    if (target === undefined) return;
  } else {
    try {
      await vscode.workspace.fs.stat(target);
      const overwrite = await vscode.window.showWarningMessage(`${name}.nnb.json exists. Replace it?`, { modal: true }, 'Replace');
      if (overwrite !== 'Replace') return;
    } catch {
      // does not exist: fine
    }
  }
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  await vscode.commands.executeCommand('vscode.openWith', target, VIEW_TYPE);
}
