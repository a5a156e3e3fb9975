// The nnb command line, spawned as a user would run it: messages and exit codes for a shell.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync, existsSync, readdirSync, statSync, lstatSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO, EXAMPLES, FIXTURES } from '../helpers';
import { needsPyTorch, PYTHON } from '../../helpers/system';
import { ensureBundles } from '../../helpers/built';

const dir = mkdtempSync(join(tmpdir(), 'nnb-cli-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

ensureBundles();
// Through bin/nnb.js, the command users run (it loads the bundle dist/cli/nnb.js).
function nnb(...args: string[]) {
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'nnb.js'), ...args], { encoding: 'utf8', cwd: REPO });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('nnb check: shapes, parameter counts, exit 0 for a good model', () => {
  const r = nnb('check', join(EXAMPLES, 'two_branch.nnb.json'));
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /layer1: Linear \(layer1\)\s+-> \[N, 4\]\s+12 params/);
  assert.match(r.out, /output \[N, 1\], 29 parameters/);
  assert.match(r.out, /two_branch\.nnb\.json: ok/);
  assert.match(r.out, /^ {2}input \[N, 2\]$/m);
  const two = nnb('check', join(FIXTURES, 'two_inputs.nnb.json'));
  assert.equal(two.code, 0, two.err);
  assert.match(two.out, /^ {2}inputs x \[N, 3\], y \[N, 3\]$/m);
  const json = nnb('check', join(EXAMPLES, 'flower.nnb.json'), '--json');
  assert.equal(json.code, 0);
  const parsed = JSON.parse(json.out);
  assert.equal(parsed.totalParams, 17);
  assert.deepEqual(parsed.output, ['N', 1]);
});

test('nnb check: schema problems with line and path, analysis errors with node ids, exit 1', () => {
  const bad = join(dir, 'bad.nnb.json');
  writeFileSync(
    bad,
    '{\n  "format": "nnblocks.model/1",\n  "name": "bad",\n  "input": { "shape": [2] },\n  "model": { "id": "fc", "op": "Linear", "args": { "inFeatures": 3, "outFeatures": 1 }, "init": { "weight": { "kind": "normal" } } }\n}\n',
  );
  let r = nnb('check', bad);
  assert.equal(r.code, 1);
  assert.match(r.err, /bad\.nnb\.json:5: error: model\.init\.weight\.std: required: expected a number$/m);
  writeFileSync(
    bad,
    '{\n  "format": "nnblocks.model/1",\n  "name": "bad",\n  "input": { "shape": [2] },\n  "model": { "id": "fc", "op": "Linear", "args": { "inFeatures": 2, "outFeatures": 1, } }\n}\n',
  );
  r = nnb('check', bad);
  assert.equal(r.code, 1);
  // Line and column of the "}" that follows the trailing comma.
  const column = readFileSync(bad, 'utf8').split('\n')[4].indexOf(', }') + 3;
  assert.ok(r.err.includes(`bad.nnb.json:5:${column}: error: (document): not valid JSON`), r.err);
  const model = {
    id: 'net',
    op: 'Sequential',
    children: [
      { id: 'fc1', op: 'Linear', args: { inFeatures: 2, outFeatures: 4 } },
      { id: 'fc2', op: 'Linear', args: { inFeatures: 3, outFeatures: 1 } },
      { id: 'act', op: 'Tahn' },
    ],
  };
  writeFileSync(bad, JSON.stringify({ format: 'nnblocks.model/1', name: 'bad', input: { shape: [2] }, model }, null, 2));
  const lineOf = (id: string) =>
    readFileSync(bad, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(`"id": "${id}"`)) + 1;
  r = nnb('check', bad);
  assert.equal(r.code, 1);
  // By line, as a compiler prints them (the analysis finds the unknown type first): file:line: error: id: message.
  const expected = [
    `bad.nnb.json:${lineOf('fc2')}: error: fc2: Linear fc2 expects 3 input features but receives 4`,
    `bad.nnb.json:${lineOf('act')}: error: act: unknown layer type "Tahn"`,
  ];
  const got = r.err
    .split('\n')
    .filter((l) => l.includes(': error: '))
    .map((l) => l.slice(l.indexOf('bad.nnb.json')));
  assert.equal(got.length, 2, r.err);
  got.forEach((l, i) => assert.ok(l.startsWith(expected[i]), `${l}\n  should start with\n${expected[i]}`));
  const json = nnb('check', bad, '--json');
  assert.equal(json.code, 1);
  const report = JSON.parse(json.out) as { ok: boolean; diagnostics: { id: string; line: number; severity: string }[] };
  assert.equal(report.ok, false);
  assert.deepEqual(report.diagnostics.map((d) => [d.id, d.line, d.severity]).sort(), [
    ['act', lineOf('act'), 'error'],
    ['fc2', lineOf('fc2'), 'error'],
  ]);
  r = nnb('codegen', bad, '--lang', 'ts');
  assert.equal(r.code, 1);
  assert.match(r.err, /the model has 2 error\(s\)/);
  assert.ok(r.err.includes(expected[0]), r.err);
  r = nnb('check', join(dir, 'missing.nnb.json'));
  assert.equal(r.code, 1);
  assert.match(r.err, /missing\.nnb\.json: cannot read the file \(ENOENT\)/);
});

test('usage errors exit 2 with the usage text', () => {
  for (const args of [
    [],
    ['frobnicate'],
    ['codegen', join(EXAMPLES, 'flower.nnb.json')],
    ['codegen', join(EXAMPLES, 'flower.nnb.json'), '--lang', 'rust'],
    ['export-onnx', join(EXAMPLES, 'flower.nnb.json')],
    ['check', 'a', 'b'],
  ]) {
    const r = nnb(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err + r.out, /usage:/);
  }
  assert.equal(nnb('--help').code, 0);
});

test('nnb codegen writes TypeScript and PyTorch', () => {
  const ts = join(dir, 'spiral.ts');
  let r = nnb('codegen', join(EXAMPLES, 'flower.nnb.json'), '--lang', 'ts', '-o', ts);
  assert.equal(r.code, 0, r.err);
  assert.match(readFileSync(ts, 'utf8'), /export function createModel\(\): nn\.Sequential/);
  r = nnb('codegen', join(EXAMPLES, 'flower.nnb.json'), '--lang', 'py');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /def create_model\(\):/);
  assert.match(r.out, /def train\(/);
  r = nnb('codegen', join(EXAMPLES, 'flower.nnb.json'), '--lang', 'py', '--no-training');
  assert.doesNotMatch(r.out, /def train\(/);
});

test('nnb -o replaces a file by rename (never half written), writes through links and /dev/stdout, names a file it cannot write', () => {
  const out = join(dir, 'replaced.ts');
  writeFileSync(out, 'the old contents\n');
  const before = statSync(out).ino;
  let r = nnb('codegen', join(EXAMPLES, 'flower.nnb.json'), '--lang', 'ts', '-o', out);
  assert.equal(r.code, 0, r.err);
  assert.notEqual(statSync(out).ino, before, "a new file took the old one's place");
  assert.match(readFileSync(out, 'utf8'), /createModel/);
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.includes('.tmp-')),
    [],
    'no temp file left',
  );
  // Through a shell pipe, as a user types it (spawnSync's own stdout is a socket, which /dev/stdout cannot reopen).
  const piped = spawnSync('bash', ['-c', `"${process.execPath}" bin/nnb.js codegen examples/flower.nnb.json --lang py -o /dev/stdout | cat`], {
    encoding: 'utf8',
    cwd: REPO,
  });
  assert.equal(piped.status, 0, piped.stderr);
  assert.match(piped.stdout, /def create_model\(\):/);
  // A symlinked output is written through, and stays a link (a rename would have replaced the link).
  const real = join(dir, 'real.py');
  const link = join(dir, 'link.py');
  writeFileSync(real, '');
  symlinkSync(real, link);
  r = nnb('codegen', join(EXAMPLES, 'flower.nnb.json'), '--lang', 'py', '-o', link);
  assert.equal(r.code, 0, r.err);
  assert.ok(lstatSync(link).isSymbolicLink(), 'the link is still a link');
  assert.match(readFileSync(real, 'utf8'), /def create_model\(\):/);
  r = nnb('codegen', join(EXAMPLES, 'flower.nnb.json'), '--lang', 'ts', '-o', join(out, 'inside-a-file.ts'));
  assert.equal(r.code, 1);
  assert.match(r.err, /inside-a-file\.ts: cannot write the file \((ENOTDIR|EEXIST)\)/);
});

test('nnb codegen --lang py -o elsewhere: the training script still finds the CSV next to the model', { skip: needsPyTorch }, () => {
  const models = join(dir, 'project', 'models');
  mkdirSync(join(models, 'data'), { recursive: true });
  const rows = Array.from({ length: 40 }, (_, i) => `${(i % 7) / 7},${(i % 5) / 5},${i % 2}`);
  writeFileSync(join(models, 'data', 'points.csv'), `a,b,label\n${rows.join('\n')}\n`);
  const doc = {
    format: 'nnblocks.model/1',
    name: 'csv_net',
    input: { shape: [2] },
    model: { id: 'net', op: 'Sequential', children: [{ id: 'fc', op: 'Linear', args: { inFeatures: 2, outFeatures: 1 } }] },
    training: {
      data: { kind: 'csv', path: 'data/points.csv', label: 'label' },
      loss: 'BCEWithLogitsLoss',
      optimizer: { type: 'SGD', lr: 0.5 },
      epochs: 3,
    },
  };
  const model = join(models, 'csv_net.nnb.json');
  writeFileSync(model, JSON.stringify(doc, null, 2));
  const script = join(dir, 'project', 'scripts', 'gen', 'train.py');
  const r = nnb('codegen', model, '--lang', 'py', '-o', script);
  assert.equal(r.code, 0, r.err);
  assert.match(readFileSync(script, 'utf8'), /DOCUMENT_DIR = os\.path\.normpath\(os\.path\.join\(HERE, '\.\.\/\.\.\/models'\)\)/);
  const run = spawnSync(PYTHON, [script, '--out', join(dir, 'csv_net.pt')], { encoding: 'utf8', cwd: tmpdir() });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /epoch 3: loss [0-9.]+/);
});

test('nnb export-onnx with safetensors weights, then nnb infer on a CSV', async () => {
  const { io, manualSeed } = await import('../../../engine');
  const { buildModel, parseDocument } = await import('../../../engine/graph');
  manualSeed(3);
  const doc = parseDocument(readFileSync(join(EXAMPLES, 'flower.nnb.json'), 'utf8'));
  const model = buildModel(doc);
  const weights = join(dir, 'w.safetensors');
  io.saveSafetensors(weights, model.stateDict());
  const onnxPath = join(dir, 'spiral.onnx');
  let r = nnb('export-onnx', join(EXAMPLES, 'flower.nnb.json'), '--weights', weights, '-o', onnxPath);
  assert.equal(r.code, 0, r.err);
  assert.ok(existsSync(onnxPath));
  const csv = join(dir, 'in.csv');
  writeFileSync(csv, 'x1,x2\n0.5,-1\n2,0.25\n');
  r = nnb('infer', onnxPath, '--input', csv);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trim().split('\n');
  assert.equal(lines[0], 'output');
  const { tensor, noGrad } = await import('../../../engine');
  const y = noGrad(() =>
    model.forward(
      tensor([
        [0.5, -1],
        [2, 0.25],
      ]),
    ),
  );
  lines.slice(1).forEach((l, i) => assert.ok(Math.abs(Number(l) - y.data[i]) <= 1e-5, `${l} vs ${y.data[i]}`));
  const { cudaProviderInstalled } = await import('../../../engine/graph/onnx/run');
  const cuda = nnb('infer', onnxPath, '--input', csv, '--provider', 'cuda');
  assert.equal(cuda.code, 0, cuda.err);
  assert.equal(cuda.out, r.out);
  const strict = nnb('infer', onnxPath, '--input', csv, '--provider', 'cuda', '--no-fallback');
  if (cudaProviderInstalled()) assert.equal(strict.code, 0, strict.err);
  else {
    assert.match(cuda.err, /^warning: onnxruntime's CUDA execution provider is not installed .*; running on cpu instead$/m);
    assert.equal(strict.code, 1);
    assert.match(strict.err, /CUDA execution provider is not installed/);
    assert.equal(strict.out, '');
  }
  writeFileSync(csv, 'x1,x2\n0.5,oops\n');
  r = nnb('infer', onnxPath, '--input', csv);
  assert.equal(r.code, 1);
  assert.match(r.err, /in\.csv:2: column 2 \(x2\) is not a number: "oops"/);
  writeFileSync(csv, 'a,b,c\n1,2,3\n');
  r = nnb('infer', onnxPath, '--input', csv);
  assert.equal(r.code, 1);
  assert.match(r.err, /3 columns, but .*takes 2 values per sample/);
  r = nnb('export-onnx', join(EXAMPLES, 'two_branch.nnb.json'), '--weights', weights, '-o', join(dir, 'x.onnx'));
  assert.equal(r.code, 1);
  assert.match(r.err, /w\.safetensors: [\s\S]*Missing key/);
});

test('file problems name the file the user gave: an unwritable -o, a missing or broken --weights', () => {
  const spiral = join(EXAMPLES, 'flower.nnb.json');
  const blocked = join(dir, 'not-a-folder');
  writeFileSync(blocked, 'x');
  let r = nnb('export-onnx', spiral, '-o', join(blocked, 'spiral.onnx'));
  assert.equal(r.code, 1);
  assert.match(r.err, /not-a-folder\/spiral\.onnx: cannot write the ONNX file \((ENOTDIR|EEXIST)\)/);
  assert.doesNotMatch(r.err, /\.tmp/);
  r = nnb('export-onnx', spiral, '--weights', join(dir, 'none.safetensors'), '-o', join(dir, 'w.onnx'));
  assert.equal(r.code, 1);
  assert.match(r.err, /none\.safetensors/);
  const junk = join(dir, 'junk.safetensors');
  writeFileSync(junk, 'not safetensors');
  r = nnb('export-onnx', spiral, '--weights', junk, '-o', join(dir, 'w.onnx'));
  assert.equal(r.code, 1);
  assert.match(r.err, /junk\.safetensors: .*not a safetensors file/);
  assert.ok(!existsSync(join(dir, 'w.onnx')));
});

test('nnb infer feeds a two-input model one CSV per input (name=file), and says how when given one', async () => {
  const { io, manualSeed, noGrad, tensor } = await import('../../../engine');
  const { buildModel, parseDocument } = await import('../../../engine/graph');
  manualSeed(9);
  const file = join(FIXTURES, 'two_inputs.nnb.json');
  const model = buildModel(parseDocument(readFileSync(file, 'utf8')));
  const weights = join(dir, 'two.safetensors');
  io.saveSafetensors(weights, model.stateDict());
  const onnxPath = join(dir, 'two.onnx');
  assert.equal(nnb('export-onnx', file, '--weights', weights, '-o', onnxPath).code, 0);
  const xs = [
    [0.5, -1, 2],
    [0, 0.25, -0.5],
  ];
  const ys = [
    [1, 1, 1],
    [-2, 0.5, 0],
  ];
  const csv = (name: string, rows: number[][]) => {
    const p = join(dir, name);
    writeFileSync(p, `a,b,c\n${rows.map((r) => r.join(',')).join('\n')}\n`);
    return p;
  };
  const [xCsv, yCsv] = [csv('x.csv', xs), csv('y.csv', ys)];
  // Either order on the command line: the names decide.
  const r = nnb('infer', onnxPath, '--input', `y=${yCsv}`, '--input', `x=${xCsv}`);
  assert.equal(r.code, 0, r.err);
  const want = noGrad(() => model.forward(tensor(xs), tensor(ys)));
  const got = r.out
    .trim()
    .split('\n')
    .slice(1)
    .flatMap((l) => l.split(',').map(Number));
  assert.equal(got.length, want.data.length);
  got.forEach((v, i) => assert.ok(Math.abs(v - want.data[i]) <= 1e-5, `${v} vs ${want.data[i]}`));

  let e = nnb('infer', onnxPath, '--input', xCsv);
  assert.equal(e.code, 1);
  assert.match(e.err, /two\.onnx takes 2 inputs \(x, y\): give one CSV for each, --input x=x\.csv --input y=y\.csv/);
  e = nnb('infer', onnxPath, '--input', `x=${xCsv}`);
  assert.equal(e.code, 1);
  assert.match(e.err, /no CSV for input\(s\) y/);
  e = nnb('infer', onnxPath, '--input', `x=${xCsv}`, '--input', yCsv);
  assert.equal(e.code, 2);
  assert.match(e.err, /each is name=file\.csv with a name of the model's inputs \(x, y\)/);
  e = nnb('infer', onnxPath, '--input', `x=${xCsv}`, '--input', `y=${csv('short.csv', ys.slice(1))}`);
  assert.equal(e.code, 1);
  assert.match(e.err, /short\.csv: 1 row, but .*x\.csv has 2: every input needs one row per sample/);
});

test('nnb infer reshapes CSV rows to the model input ([N, 1, 28, 28] from 784 columns)', async () => {
  const { io, manualSeed, rand, noGrad } = await import('../../../engine');
  const { buildModel, parseDocument } = await import('../../../engine/graph');
  manualSeed(5);
  const doc = parseDocument(readFileSync(join(EXAMPLES, 'mlp_28x28.nnb.json'), 'utf8'));
  const model = buildModel(doc);
  const weights = join(dir, 'mlp.safetensors');
  io.saveSafetensors(weights, model.stateDict());
  const onnxPath = join(dir, 'mlp.onnx');
  assert.equal(nnb('export-onnx', join(EXAMPLES, 'mlp_28x28.nnb.json'), '--weights', weights, '-o', onnxPath).code, 0);
  const x = rand([2, 1, 28, 28]);
  const rows = [0, 1].map((r) => Array.from(x.data.subarray(r * 784, (r + 1) * 784)).join(','));
  const csv = join(dir, 'digits.csv');
  writeFileSync(csv, `${Array.from({ length: 784 }, (_, i) => `p${i}`).join(',')}\n${rows.join('\n')}\n`);
  const out = join(dir, 'pred.csv');
  const r = nnb('infer', onnxPath, '--input', csv, '-o', out);
  assert.equal(r.code, 0, r.err);
  const lines = readFileSync(out, 'utf8').trim().split('\n');
  assert.equal(lines[0].split(',').length, 10);
  const y = noGrad(() => model.forward(x));
  const got = lines.slice(1).flatMap((l) => l.split(',').map(Number));
  got.forEach((v, i) => assert.ok(Math.abs(v - y.data[i]) <= 1e-5, `${v} vs ${y.data[i]}`));
});
