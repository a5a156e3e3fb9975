import test from 'node:test';
import assert from 'node:assert/strict';
import {
  validateDocument,
  parseDocument,
  serializeDocument,
  DocumentError,
  LAYERS,
  STRUCTURAL,
  layerSpec,
  checkArgs,
  idLocator,
  indexNodes,
  type GraphNode,
} from '../../engine/graph';
import { loadCases } from './helpers';

const minimal = {
  format: 'nnblocks.model/1',
  name: 'm',
  input: { shape: [2] },
  model: { id: 'net', op: 'Sequential', children: [{ id: 'fc', op: 'Linear', args: { inFeatures: 2, outFeatures: 1 } }] },
};

test('every shipped document validates and is already in canonical form', () => {
  for (const c of loadCases()) {
    if (!c.file.includes('/examples/')) continue;
    assert.equal(serializeDocument(c.doc), c.text, `${c.file} is not canonically formatted`);
  }
});

test('serialisation has a stable key order whatever order the keys came in', () => {
  const shuffled = JSON.parse(JSON.stringify(minimal));
  const reordered = { model: shuffled.model, input: shuffled.input, name: 'm', format: 'nnblocks.model/1' };
  reordered.model = { children: [{ args: { outFeatures: 1, inFeatures: 2 }, op: 'Linear', id: 'fc' }], op: 'Sequential', id: 'net' };
  const a = serializeDocument(parseDocument(minimal));
  const b = serializeDocument(parseDocument(reordered));
  assert.equal(a, b);
  assert.ok(a.endsWith('}\n'));
  assert.ok(a.indexOf('"format"') < a.indexOf('"name"') && a.indexOf('"name"') < a.indexOf('"input"') && a.indexOf('"input"') < a.indexOf('"model"'));
  assert.match(a, /"shape": \[2\]/);
  assert.ok(a.indexOf('"id": "fc"') < a.indexOf('"op": "Linear"'));
  assert.deepEqual(JSON.parse(a), JSON.parse(serializeDocument(parseDocument(a))));
});

test('saving stores only what the user wrote: no defaults filled in', () => {
  const written = {
    ...minimal,
    model: { ...minimal.model, children: [{ ...minimal.model.children[0], init: { weight: { kind: 'normal', std: 0.01 } } }] },
    training: {
      data: { kind: 'safetensors', path: 'd.safetensors' },
      loss: 'MSELoss',
      optimizer: { type: 'SGD', lr: 0.1 },
      schedule: { type: 'StepLR', stepSize: 5 },
      epochs: 2,
    },
  };
  const saved = JSON.parse(serializeDocument(parseDocument(written)));
  assert.deepEqual(saved, written);
  const cosine = parseDocument({ ...written, training: { ...written.training, schedule: { type: 'CosineAnnealingLR', tMax: 10 } } });
  assert.deepEqual(JSON.parse(serializeDocument(cosine)).training.schedule, { type: 'CosineAnnealingLR', tMax: 10 });
});

test('schema errors give the JSON path, what is wrong and the line', () => {
  const bad = JSON.parse(JSON.stringify(minimal));
  bad.model.children[0].init = { weight: { kind: 'normal', mean: 0, std: 'small' } };
  const text = JSON.stringify(bad, null, 2);
  const r = validateDocument(text);
  assert.equal(r.ok, false);
  if (r.ok) return;
  const issue = r.issues.find((i) => i.path === 'model.children[0].init.weight.std');
  assert.ok(issue, JSON.stringify(r.issues));
  assert.match(issue.message, /expected number/i);
  assert.equal(issue.line, text.split('\n').findIndex((l) => l.includes('"std"')) + 1);
});

test('wrong format, missing fields and unknown keys are each reported', () => {
  const r = validateDocument({ ...minimal, format: 'other/2', input: {}, extra: 1 });
  assert.equal(r.ok, false);
  if (r.ok) return;
  const paths = r.issues.map((i) => i.path);
  assert.ok(paths.includes('format'), paths.join());
  assert.equal(r.issues.find((i) => i.path === 'format')?.message, 'expected "format": "nnblocks.model/1"');
  const newer = validateDocument({ ...minimal, format: 'nnblocks.model/2' });
  assert.equal(newer.ok, false);
  if (!newer.ok)
    assert.equal(
      newer.issues[0].message,
      'expected "format": "nnblocks.model/1": this file is "nnblocks.model/2", a version of the format this NN Blocks does not read',
    );
  assert.ok(paths.includes('input.shape'), paths.join());
  assert.ok(
    r.issues.some((i) => /extra/.test(i.message)),
    JSON.stringify(r.issues),
  );
});

test('a node without op, and a Graph without outputs, are named by path', () => {
  const r = validateDocument({ ...minimal, model: { id: 'g', op: 'Graph', inputs: ['x'], nodes: [{ id: 'a' }], edges: [], outputs: [] } });
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.ok(
    r.issues.some((i) => i.path === 'model.nodes[0].op' && /needs an "op"/.test(i.message)),
    JSON.stringify(r.issues),
  );
  assert.ok(
    r.issues.some((i) => i.path === 'model.outputs' && /at least one output/.test(i.message)),
    JSON.stringify(r.issues),
  );
});

test('invalid JSON reports line and column; parseDocument throws one error listing every problem', () => {
  const r = validateDocument('{\n  "format": "nnblocks.model/1",\n  "name": \n}');
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.match(r.issues[0].message, /not valid JSON/);
  assert.equal(r.issues[0].line, 4);
  assert.throws(
    () => parseDocument({ ...minimal, name: '1bad', input: { shape: [0] } }, 'bad.nnb.json'),
    (e: unknown) => e instanceof DocumentError && /bad\.nnb\.json/.test(e.message) && /name/.test(e.message) && /input\.shape\[0\]/.test(e.message),
  );
});

test('training section: the tutorial spiral settings validate; bad values name their path', () => {
  const spiral = loadCases().find((c) => c.file.endsWith('examples/flower.nnb.json'));
  assert.ok(spiral?.doc.training);
  const t = spiral.doc.training;
  assert.equal(t.loss, 'BCEWithLogitsLoss');
  assert.deepEqual([t.optimizer.type, t.optimizer.lr, t.epochs], ['SGD', 1, 10000]);
  assert.equal(t.data.kind, 'builtin');
  const r = validateDocument({
    ...minimal,
    training: { data: { kind: 'builtin', name: 'spiral' }, loss: 'Hinge', optimizer: { type: 'SGD', lr: -1 }, epochs: 1 },
  });
  assert.equal(r.ok, false);
  if (r.ok) return;
  const paths = r.issues.map((i) => i.path);
  assert.ok(paths.includes('training.optimizer.lr'), paths.join());
  assert.ok(
    paths.some((p) => p.startsWith('training.loss')),
    paths.join(),
  );
});

test('the catalogue covers every engine layer and merge with documented args', () => {
  const ops = LAYERS.map((l) => l.op);
  const image = [
    'Conv1d',
    'Conv2d',
    'ConvTranspose2d',
    'MaxPool1d',
    'MaxPool2d',
    'AvgPool2d',
    'AdaptiveAvgPool2d',
    'AdaptiveMaxPool2d',
    'BatchNorm1d',
    'BatchNorm2d',
    'LayerNorm',
    'GroupNorm',
  ];
  const more = ['Dropout2d', 'Unflatten', 'Upsample', 'ZeroPad2d', 'SiLU', 'ELU', 'Softplus', 'Hardswish', 'Mish', 'PReLU', 'ReLU6'];
  for (const op of [
    'Linear',
    'ReLU',
    'LeakyReLU',
    'Tanh',
    'Sigmoid',
    'GELU',
    'Softmax',
    'LogSoftmax',
    'Flatten',
    'Identity',
    'Dropout',
    'Step',
    'add',
    'sub',
    'mul',
    'concat',
    ...image,
    ...more,
  ]) {
    assert.ok(ops.includes(op), op);
  }
  for (const l of LAYERS) {
    assert.ok(l.doc.length > 5 && l.onnxOps && l.shapeRule, l.op);
    if (!l.merge) assert.ok(l.engineClass && l.torchClass, l.op);
    for (const a of l.args) assert.ok(a.doc && a.torchName, `${l.op}.${a.name}`);
  }
  assert.deepEqual(
    STRUCTURAL.map((s) => s.op),
    ['Sequential', 'Graph', 'Block', 'Shared'],
  );
  const linear = layerSpec('Linear');
  assert.ok(linear);
  assert.deepEqual(linear.params({ inFeatures: 3, outFeatures: 5, bias: true }), [
    ['weight', [5, 3]],
    ['bias', [5]],
  ]);
  assert.deepEqual(checkArgs(linear, { inFeatures: 0, outFeatures: 1.5, bogus: 1 }).length, 3);
  assert.equal(layerSpec('Dropout')?.args[0].max, 1);
});

test('idLocator gives the line of every node and edge id, in block bodies too, in canonical and one-line text', () => {
  for (const c of loadCases()) {
    const lineOf = idLocator(c.text, c.doc);
    const lines = c.text.split('\n');
    const ids = [...indexNodes(c.doc).keys()];
    for (const n of indexNodes(c.doc).values()) if (n.op === 'Graph') ids.push(...(n as GraphNode).edges.map((e) => e.id));
    for (const id of ids) {
      const line = lineOf(id);
      assert.ok(line !== undefined && lines[line - 1].includes(`"id": ${JSON.stringify(id)}`), `${c.file}: ${id} at line ${line}`);
    }
    const compact = JSON.stringify(JSON.parse(c.text));
    assert.equal(idLocator(compact, c.doc)(ids[ids.length - 1]), 1);
    assert.equal(lineOf('no such id'), undefined);
  }
});

test('schema messages say what was expected: a missing key its type, a union every accepted form', () => {
  const doc = (model: unknown, extra: Record<string, unknown> = {}) => validateDocument({ ...minimal, model, ...extra });
  const messages = (r: ReturnType<typeof validateDocument>) => (r.ok ? {} : Object.fromEntries(r.issues.map((i) => [i.path, i.message])));
  const node = messages(
    doc({
      id: 'net',
      op: 'Sequential',
      children: [
        { id: 'd', op: 'Dropout', args: { p: null } },
        { id: 's', op: 'Shared' },
        { id: 'b', op: 'Sequential' },
      ],
    }),
  );
  assert.equal(node['model.children[0].args.p'], 'expected a number, a boolean (true or false), a string or an array, got null');
  assert.equal(node['model.children[1].ref'], 'required: expected a string');
  assert.equal(node['model.children[2].children'], 'required: expected an array');
  const training = messages(
    doc(minimal.model, { training: { data: { kind: 'builtin', name: 'spiral' }, loss: 'Hinge', optimizer: { type: 'SGD' }, epochs: 1 } }),
  );
  assert.equal(
    training['training.loss'],
    'expected one of "MSELoss", "L1Loss", "BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss", "NLLLoss" or an object, got "Hinge"',
  );
  assert.equal(training['training.optimizer.lr'], 'required: expected a number');
  // The schema's own messages stay.
  assert.equal(messages(validateDocument({ ...minimal, format: 'x' })).format, 'expected "format": "nnblocks.model/1"');
});
