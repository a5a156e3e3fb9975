/**
 * The Runs view's commands through the extension's training host (extension/training/register.ts) over
 * the fake `vscode`: Predict on rows of a CSV, Export ONNX with a run's weights, Load Weights from a run
 * that has only checkpoints, and Compare with no training panel open (an SVG of both runs' curves).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp, existsSync } from 'node:fs';
import * as path from 'node:path';
import { installFakeVscode, fakeContext, fakePanels, recorded, commands, Uri } from './fake_vscode';
import { tempDir, writeSpiralNetDoc, readTensors } from './helpers';
import { waitFor } from '../helpers/poll';
import { startRun } from '../../engine/train/host';
import { runOnnxFile } from '../../engine/train/onnx';
import { loadRunModel } from '../../engine/train/after';
import { Tensor } from '../../engine/tensor';
import type { RunsNode } from '../../extension/training/runs_tree';
import type { RunSummary } from '../../engine/train/runs';

installFakeVscode();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { registerTraining } = require('../../extension/training/register') as typeof import('../../extension/training/register');

/** A node of the Runs view for a run folder, as its context menu passes it. */
const node = (runDir: string): RunsNode => ({ kind: 'run', run: { runDir } as RunSummary });
const run = (command: string, ...args: unknown[]) => commands.get(command)!(...args) as Promise<void>;

async function trainedRun(dir: string, name: string, epochs: number): Promise<{ doc: string; runDir: string }> {
  const rows = ['x1,x2,label'];
  for (let i = 0; i < 60; i++) rows.push(`${Math.sin(i).toFixed(4)},${Math.cos(i).toFixed(4)},${i % 2}`);
  await fsp.writeFile(path.join(dir, 'points.csv'), rows.join('\n') + '\n');
  const doc = await writeSpiralNetDoc(dir, name, {
    data: { kind: 'csv', path: 'points.csv', label: 'label' },
    optimizer: { type: 'SGD', lr: 0.5 },
    epochs,
  });
  const result = await (await startRun({ documentPath: doc, mode: 'inline' })).result;
  assert.equal(result.status, 'completed', result.message);
  return { doc, runDir: result.runDir };
}

test('Runs view: predict on CSV rows, export ONNX with the run weights, compare without a panel', async () => {
  const dir = await tempDir('register');
  const context = fakeContext();
  // No editor shows the model, so Compare writes an SVG.
  registerTraining(context, { panels: fakePanels(false) });
  const { runDir } = await trainedRun(dir, 'points', 30);
  const second = await trainedRun(dir, 'points', 60);

  // Predict: rows 2-3 of the run's CSV, engine and onnxruntime side by side in the output channel.
  recorded.output.length = 0;
  recorded.quickPicks.push('Rows of a CSV file');
  recorded.openDialogs.push(path.join(dir, 'points.csv'));
  recorded.inputs.push('2-3');
  await run('nnblocks.runs.predict', node(runDir));
  const lines = recorded.output.join('\n');
  assert.match(lines, /row 2 \(label 1\) -> engine \[-?\d\.\d+\]\s+onnxruntime \[-?\d\.\d+\]/);
  assert.match(lines, /row 3 \(label 0\) -> engine/);
  assert.match(lines, /max \|engine - onnxruntime\| = \d\.\d+e[-+]\d+/);

  // Export ONNX with the run's weights: onnxruntime gives the trained model's outputs.
  const onnx = path.join(dir, 'exported.onnx');
  recorded.saveDialogs.push(onnx);
  await run('nnblocks.runs.exportOnnx', node(runDir));
  const x = new Tensor(Float32Array.from([0.3, -0.2, 1, 0.5]), [2, 2]);
  const fromOnnx = await runOnnxFile(onnx, x);
  const { model } = await loadRunModel(runDir);
  const fromEngine = model.forward(x);
  for (let i = 0; i < 2; i++) assert.ok(Math.abs(fromOnnx.data[i] - fromEngine.data[i]) < 1e-5);

  // Compare with no panel showing the model: both runs' curves as an SVG, opened in the editor.
  recorded.executed.length = 0;
  await run('nnblocks.runs.compare', node(runDir), [node(runDir), node(second.runDir)]);
  const svg = path.join(runDir, 'plots', `compare-${path.basename(second.runDir)}.svg`);
  assert.ok(existsSync(svg), svg);
  assert.match(await fsp.readFile(svg, 'utf8'), /^<svg[\s\S]*stroke-dasharray/);
  const opened = recorded.executed.find((e) => e.command === 'vscode.open');
  assert.equal((opened?.args[0] as Uri | undefined)?.fsPath, svg);
  assert.deepEqual(recorded.errors, []);
  context.dispose();
});

test('Load Weights from a run with checkpoints only writes them beside the model', async () => {
  const dir = await tempDir('loadweights');
  const context = fakeContext();
  registerTraining(context, { panels: fakePanels(false) });
  const { doc, runDir } = await trainedRun(dir, 'points', 20);
  // As a run killed before its end leaves it: checkpoints, no model.safetensors.
  await fsp.rm(path.join(runDir, 'model.safetensors'));
  const last = (await fsp.readdir(path.join(runDir, 'checkpoints'))).sort((a, b) => Number(/\d+/.exec(a)) - Number(/\d+/.exec(b))).pop()!;
  recorded.infos.length = 0;
  await run('nnblocks.runs.loadWeights', node(runDir));
  const target = doc.replace(/\.nnb\.json$/, '.safetensors');
  const { tensors } = await readTensors(target);
  const { weights } = await loadRunModel(runDir);
  assert.deepEqual(Object.keys(tensors).sort(), ['0.bias', '0.weight', '2.bias', '2.weight']);
  for (const k of Object.keys(tensors)) assert.deepEqual(tensors[k].data, weights[k].data, k);
  assert.match(recorded.infos.join('\n'), new RegExp(`the weights of checkpoints/${last.replace('.', '\\.')} are now points\\.safetensors`));
  assert.deepEqual(recorded.errors, []);
  context.dispose();
});

test("panel messages: malformed ones are refused, and a run folder outside the model's runs is never touched", async () => {
  const dir = await tempDir('panelmsg');
  const context = fakeContext();
  const panels = fakePanels();
  const training = registerTraining(context, { panels });
  const { doc, runDir } = await trainedRun(dir, 'points', 20);
  const uri = Uri.file(doc) as never;
  const posted = panels.posted;
  for (const bad of [
    null,
    'training/start',
    { type: 'training/frobnicate' },
    { type: 'training/evaluate' },
    { type: 'training/evaluate', runDir: 7 },
    { type: 'training/compare', a: runDir },
    { type: 'training/predict', runDir, inputs: [[1, Number.NaN]] },
    { type: 'training/predict', runDir, inputs: '1, 2' },
    { type: 'training/predict', runDir },
    { type: 'training/previewCsv', path: 'points.csv', section: [1] },
  ]) {
    assert.equal(training.handleMessage(uri, bad), false, JSON.stringify(bad));
  }
  assert.equal(posted.length, 0, JSON.stringify(posted));

  // Another model's run beside this one: well formed, but not this model's to evaluate or resume into.
  const other = path.join(dir, 'elsewhere', 'runs', 'x', '20260101-000000');
  await fsp.mkdir(other, { recursive: true });
  for (const m of [
    { type: 'training/evaluate', runDir: other },
    { type: 'training/resume', runDir: path.join(runDir, '..', '..', '..', 'elsewhere') },
    { type: 'training/compare', a: runDir, b: other },
  ]) {
    assert.equal(training.handleMessage(uri, m), true);
  }
  assert.equal(posted.length, 3);
  for (const p of posted) assert.match(p.message ?? '', /is not a run of this model \(its runs are in .*runs\)/);
  assert.deepEqual(await fsp.readdir(other), [], 'nothing was written into the other folder');

  // The model's own run passes the check; a CSV preview's answer carries the request's number.
  posted.length = 0;
  assert.equal(training.handleMessage(uri, { type: 'training/evaluate', runDir }), true);
  assert.equal(training.handleMessage(uri, { type: 'training/previewCsv', path: 'points.csv', seq: 7 }), true);
  const preview = await waitFor('the CSV preview', () => posted.find((p) => p.type === 'training/csvPreview'), {
    timeoutMs: 10_000,
    explain: () => JSON.stringify(posted),
  });
  assert.equal(preview.seq, 7);
  assert.ok(!posted.some((p) => /not a run of this model/.test(p.message ?? '')), JSON.stringify(posted));
  context.dispose();
});
