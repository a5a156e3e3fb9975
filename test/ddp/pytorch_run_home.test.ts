// A run trained by the generated PyTorch project comes home: the Runs view (extension/training/runs_tree.ts,
// on the recording VS Code fake) lists it beside the editor's own run of the same model, and its
// context-menu commands work on it: Load Weights puts PyTorch's weights beside the model so the editor's
// model gives PyTorch's outputs, Export ONNX gives them through onnxruntime, Compare draws both runs.
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { installFakeVscode, fake, fakeContext, fakePanels, recorded, commands, Uri } from '../train/fake_vscode';
import { tempDir, readTensors } from '../train/helpers';
import { needsPyTorch, PYTHON } from '../helpers/system';
import { REPO } from '../graph/helpers';
import { startRun } from '../../engine/train/host';
import { runOnnxFile } from '../../engine/train/onnx';
import { buildModel, parseDocument } from '../../engine/graph';
import { noGrad, tensor, type nn } from '../../engine';
import type { RunsNode } from '../../extension/training/runs_tree';
import { train, writeProject } from './launch';

installFakeVscode();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { registerTraining } = require('../../extension/training/register') as typeof import('../../extension/training/register');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { RunsTreeProvider } = require('../../extension/training/runs_tree') as typeof import('../../extension/training/runs_tree');

const run = (command: string, ...args: unknown[]) => commands.get(command)!(...args) as Promise<void>;
const INPUTS = [
  [0.5, -1],
  [2, 0.25],
  [-3, 1],
  [0, 0],
];

/** PyTorch's outputs for INPUTS from the project's model.py with a run's model.safetensors. */
function pytorchOutputs(project: string, weights: string): number[] {
  const script = `
import json, sys, torch
sys.path.insert(0, sys.argv[1])
from model import create_model
from data import load_safetensors
model = create_model()
model.load_state_dict(load_safetensors(sys.argv[2]), strict=True)
model.eval()
with torch.no_grad():
    print(json.dumps(model(torch.tensor(json.loads(sys.argv[3]))).reshape(-1).tolist()))
`;
  const r = spawnSync(PYTHON, ['-c', script, project, weights, JSON.stringify(INPUTS)], {
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1' },
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as number[];
}

test(
  'a PyTorch run is listed in the Runs view beside a local one; Load Weights, Export ONNX and Compare work on it',
  { skip: needsPyTorch },
  async () => {
    const dir = await tempDir('ddp-home');
    const spiral = JSON.parse(await fsp.readFile(path.join(REPO, 'examples', 'flower.nnb.json'), 'utf8')) as { training: Record<string, unknown> };
    const doc = { ...spiral, training: { ...spiral.training, epochs: 120, logEvery: 20, checkpointEvery: 60 } };
    const { docFile, project } = await writeProject(dir, doc);
    // Both into the runs/ folder beside the document, the project's default and the editor's.
    const fromTorch = await train(project, 2, []);
    assert.equal(path.dirname(path.dirname(fromTorch)), path.join(dir, 'runs'));
    const local = await (await startRun({ documentPath: docFile, mode: 'inline' })).result;
    assert.equal(local.status, 'completed', local.message);

    const context = fakeContext();
    registerTraining(context as never, { panels: fakePanels(false) });
    const findFiles = fake.workspace.findFiles;
    (fake.workspace as { findFiles: unknown }).findFiles = async () => [fromTorch, local.runDir].map((d) => Uri.file(path.join(d, 'config.json')));
    try {
      const tree = new RunsTreeProvider();
      const roots = await tree.getChildren();
      assert.equal(roots.length, 1);
      const model = roots[0] as Extract<RunsNode, { kind: 'model' }>;
      assert.equal(model.name, 'flower');
      const children = await tree.getChildren(model);
      assert.deepEqual(children.map((c) => (c as Extract<RunsNode, { kind: 'run' }>).run.runDir).sort(), [fromTorch, local.runDir].sort());
      const torchNode = children.find((c) => (c as Extract<RunsNode, { kind: 'run' }>).run.runDir === fromTorch)!;
      const item = tree.getTreeItem(torchNode);
      // Every run menu but Resume (package.json's /^nnblocks\.run\.(stopped|running|diverged)/): train.py resumes it.
      assert.equal(item.contextValue, 'nnblocks.run.pytorch.completed.model');
      assert.match(String(item.description), /^completed · PyTorch ×2 · acc 0\.\d{3} · loss \d\.\d{4}$/);
      const localItem = tree.getTreeItem(children.find((c) => c !== torchNode)!);
      assert.equal(localItem.contextValue, 'nnblocks.run.completed.model');

      // Load Weights: the editor's model with PyTorch's weights gives PyTorch's outputs.
      await run('nnblocks.runs.loadWeights', torchNode);
      const { tensors } = await readTensors(docFile.replace(/\.nnb\.json$/, '.safetensors'));
      const editorModel = buildModel(parseDocument(doc)) as nn.Module;
      editorModel.loadStateDict(tensors);
      editorModel.eval();
      const ours = Array.from(noGrad(() => editorModel.forward(tensor(INPUTS))).data);
      const theirs = pytorchOutputs(project, path.join(fromTorch, 'model.safetensors'));
      assert.equal(ours.length, theirs.length);
      ours.forEach((v, i) => assert.ok(Math.abs(v - theirs[i]) <= 1e-5, `output ${i}: editor ${v} vs PyTorch ${theirs[i]}`));

      // Export ONNX with the run's weights: onnxruntime agrees with PyTorch too.
      const onnx = path.join(dir, 'from-torch.onnx');
      recorded.saveDialogs.push(onnx);
      await run('nnblocks.runs.exportOnnx', torchNode);
      const viaOnnx = Array.from((await runOnnxFile(onnx, tensor(INPUTS))).data);
      viaOnnx.forEach((v, i) => assert.ok(Math.abs(v - theirs[i]) <= 1e-5, `ONNX output ${i}: ${v} vs PyTorch ${theirs[i]}`));

      // Compare the PyTorch run with the local one: both curves in one chart.
      await run('nnblocks.runs.compare', torchNode, children);
      const plots = path.join(fromTorch, 'plots');
      const svg = existsSync(plots) ? (await fsp.readdir(plots)).find((n) => n.startsWith('compare-')) : undefined;
      const other = svg ?? (await fsp.readdir(path.join(local.runDir, 'plots'))).find((n) => n.startsWith('compare-'));
      assert.ok(other !== undefined, 'a comparison chart was written');
      assert.deepEqual(recorded.errors, []);
    } finally {
      (fake.workspace as { findFiles: unknown }).findFiles = findFiles;
      context.dispose();
    }
  },
);
