// The generated PyTorch code (engine/graph/codegen) runs under a real PyTorch (Debian's python3-torch,
// installed by scripts/ensure-torch.sh in this test's set-up, never skipped), loads weights our engine
// saved as safetensors (BatchNorm's num_batches_tracked as int64, as PyTorch keeps it), and gives the
// engine's outputs (max abs diff <= 1e-5, 1e-4 with convolutions) with buildModel's keys, buffers included.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { generatePyTorch, parseDocument, analyzeDocument } from '../../../engine/graph';
import { graphAttributeProblem, sequentialKeyProblem } from '../../../engine/graph/layer_names';
import { io } from '../../../engine';
import { loadCases, reference, maxAbsDiff, REPO, tolerance } from '../helpers';
import { initProblems } from '../init_stats';
import { needsPyTorch, PYTHON } from '../../helpers/system';

const dir = mkdtempSync(join(tmpdir(), 'nnb-py-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test.before(() => {
  const r = spawnSync('bash', [join(REPO, 'scripts', 'ensure-torch.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`scripts/ensure-torch.sh failed (PyTorch is required for this test):\n${r.stderr}`);
});

// Reads safetensors with numpy, so the test needs no `safetensors` Python package.
const RUNNER = `
import importlib.util, json, struct, sys
import numpy as np
import torch

def load(path):
    with open(path, 'rb') as f:
        n = struct.unpack('<Q', f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for k, v in header.items():
        if k == '__metadata__':
            continue
        a, b = v['data_offsets']
        dtype = {'F32': np.float32, 'I64': np.int64}[v['dtype']]
        out[k] = torch.from_numpy(np.frombuffer(data[a:b], dtype=dtype).reshape(v['shape']).copy())
    return out

results = {}
for name in sys.argv[2:]:
    spec = importlib.util.spec_from_file_location(name, f'{sys.argv[1]}/{name}.py')
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    model = mod.create_model()
    keys = list(model.state_dict().keys())
    model.load_state_dict(load(f'{sys.argv[1]}/{name}.weights.safetensors'), strict=True)
    model.eval()
    inputs = load(f'{sys.argv[1]}/{name}.input.safetensors')
    with torch.no_grad():
        y = model(*[inputs[f'x{i}'] for i in range(len(inputs))])
    results[name] = {'keys': keys, 'shape': list(y.shape), 'y': y.reshape(-1).tolist(), 'params': sum(1 for _ in model.parameters())}
print(json.dumps(results))
`;

test('generated PyTorch code reproduces the engine outputs for every document', { skip: needsPyTorch }, () => {
  const cases = loadCases();
  const refs = new Map<string, ReturnType<typeof reference>>();
  for (const c of cases) {
    const ref = reference(c.doc);
    refs.set(c.doc.name, ref);
    writeFileSync(join(dir, `${c.doc.name}.py`), generatePyTorch(c.doc));
    io.saveSafetensors(join(dir, `${c.doc.name}.weights.safetensors`), ref.model.stateDict());
    io.saveSafetensors(join(dir, `${c.doc.name}.input.safetensors`), Object.fromEntries(ref.xs.map((x, i) => [`x${i}`, x])));
  }
  writeFileSync(join(dir, 'runner.py'), RUNNER);
  // One Python process for every document: torch is imported once.
  const r = spawnSync(PYTHON, [join(dir, 'runner.py'), dir, ...cases.map((c) => c.doc.name)], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, `python failed:\n${r.stderr}`);
  const results = JSON.parse(r.stdout) as Record<string, { keys: string[]; shape: number[]; y: number[]; params: number }>;
  for (const c of cases) {
    const ref = refs.get(c.doc.name)!;
    const got = results[c.doc.name];
    assert.deepEqual(got.keys, Object.keys(ref.model.stateDict()), `${c.doc.name}: state-dict keys`);
    assert.deepEqual(got.shape, ref.y.shape, c.doc.name);
    const diff = maxAbsDiff(got.y, ref.y.data);
    assert.ok(diff <= tolerance(c.doc), `${c.doc.name}: max abs diff ${diff}`);
    assert.equal(got.params, ref.model.namedParameters().length, `${c.doc.name}: tied parameters counted once`);
  }
});

test("generated PyTorch code initialises every layer as the document's init says", { skip: needsPyTorch }, () => {
  const c = loadCases().find((k) => k.doc.name === 'inits')!;
  const file = join(dir, 'inits_fresh.py');
  writeFileSync(
    file,
    `${generatePyTorch(c.doc)}\nimport json\nprint(json.dumps({k: v.reshape(-1).tolist() for k, v in create_model().state_dict().items()}))\n`,
  );
  const r = spawnSync(PYTHON, [file], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(initProblems(c.doc, JSON.parse(r.stdout) as Record<string, number[]>), []);
});

test('the generated training script trains the spiral model from its training section', { skip: needsPyTorch }, () => {
  const spiral = loadCases().find((c) => c.doc.name === 'flower')!;
  const code = generatePyTorch(spiral.doc, { training: true });
  assert.match(code, /nn\.BCEWithLogitsLoss\(reduction='mean'\)/);
  assert.match(code, /torch\.optim\.SGD\(model\.parameters\(\), lr=1\.0\)/);
  assert.match(code, /epochs = epochs or 10000/);
  const file = join(dir, 'spiral_train.py');
  writeFileSync(file, code);
  const out = join(dir, 'spiral.pt');
  const r = spawnSync(PYTHON, [file, '--epochs', '300', '--out', out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const losses = [...r.stdout.matchAll(/loss ([0-9.]+)/g)].map((m) => Number(m[1]));
  assert.ok(losses.length >= 2, r.stdout);
  assert.ok(losses[losses.length - 1] < losses[0], `loss did not fall: ${losses.join(' ')}`);
  assert.ok(existsSync(out) && readFileSync(out).length > 0);
});

test(
  "every member of torch's nn.Module and nn.Sequential is refused as a layer name; the names we accept work in torch",
  { skip: needsPyTorch },
  () => {
    const r = spawnSync(PYTHON, ['-c', 'import json; from torch import nn; print(json.dumps([dir(nn.Module()), dir(nn.Sequential())]))'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    const [module, sequential] = JSON.parse(r.stdout) as [string[], string[]];
    assert.ok(module.includes('state_dict') && sequential.includes('append'), 'dir() lists the members');
    for (const name of module) assert.notEqual(graphAttributeProblem(name), null, `torch nn.Module member "${name}" as a Graph layer`);
    for (const name of sequential) assert.notEqual(sequentialKeyProblem(name), null, `torch nn.Sequential member "${name}" as a Sequential child`);

    // Names that are members of the other container only: accepted, and the generated code runs.
    const lin = (id: string, name: string) => ({ id, name, op: 'Linear', args: { inFeatures: 2, outFeatures: 2 } });
    const doc = parseDocument({
      format: 'nnblocks.model/1',
      name: 'names',
      input: { shape: [2] },
      model: {
        id: 'g',
        op: 'Graph',
        inputs: ['x'],
        nodes: [lin('a', 'get'), { id: 'b', name: 'length', op: 'Sequential', children: [lin('c', 'configure'), lin('d', 'graph Plan')] }],
        edges: [
          { id: 'e1', from: 'x', to: 'a' },
          { id: 'e2', from: 'a', to: 'b' },
        ],
        outputs: ['b'],
      },
    });
    assert.deepEqual(analyzeDocument(doc).diagnostics, []);
    const file = join(dir, 'names_run.py');
    writeFileSync(file, `${generatePyTorch(doc)}\nm = create_model()\nprint(list(m.state_dict()), list(m(torch.zeros(3, 2)).shape))\n`);
    const run = spawnSync(PYTHON, [file], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(
      run.stdout,
      /'get\.weight', 'get\.bias', 'length\.configure\.weight', 'length\.configure\.bias', 'length\.graph Plan\.weight'.*\[3, 2\]/,
    );
  },
);
