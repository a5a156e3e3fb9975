// Model documents: the shipped examples, validation errors with paths and lines, analysis errors
// attached to the node or edge at fault, canonical serialisation, and buildModel's PyTorch key names.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { manualSeed, randn, nn } from '../../engine';
import { analyzeDocument, buildModel, parseDocument, serializeDocument, validateDocument, type ModelDocument, LAYERS } from '../../engine/graph';

const examplesDir = join(__dirname, '..', '..', 'examples');
const example = (name: string) => parseDocument(readFileSync(join(examplesDir, `${name}.nnb.json`), 'utf8'), name);

const base = (model: unknown, extra: Record<string, unknown> = {}): ModelDocument =>
  parseDocument({ format: 'nnblocks.model/1', name: 'm', input: { shape: [2] }, model, ...extra });
const errorsOf = (doc: ModelDocument) => analyzeDocument(doc).diagnostics.filter((d) => d.severity === 'error');

test('every example validates, analyses cleanly, is stored canonically, builds and runs', () => {
  const files = readdirSync(examplesDir).filter((f) => f.endsWith('.nnb.json'));
  assert.ok(files.length >= 8);
  for (const f of files) {
    const text = readFileSync(join(examplesDir, f), 'utf8');
    const doc = parseDocument(text, f);
    assert.equal(serializeDocument(doc), text, `${f} is stored in canonical form`);
    const a = analyzeDocument(doc);
    assert.deepEqual(a.diagnostics, [], f);
    const model = buildModel(doc);
    const y = model.forward(randn([3, ...doc.input.shape]));
    assert.deepEqual(
      y.shape,
      a.outputShape?.map((d) => (d === 'N' ? 3 : d)),
      f,
    );
    const unique = model.parameters().reduce((s, p) => s + p.size, 0);
    assert.equal(a.totalParams, unique, `${f}: parameter count`);
  }
});

test('shapes on every edge, with the batch dimension symbolic', () => {
  const a = analyzeDocument(example('mlp_28x28'));
  assert.deepEqual(a.edgeShapes['input->flatten'], ['N', 1, 28, 28]);
  assert.deepEqual(a.edgeShapes['flatten->fc1'], ['N', 784]);
  assert.deepEqual(a.nodeShapes.fc3, ['N', 10]);
  assert.equal(a.params.fc1, 784 * 512 + 512);
  assert.equal(a.totalParams, 669706);
  const g = analyzeDocument(example('two_branch'));
  assert.deepEqual(g.edgeShapes.e3, ['N', 4]);
  assert.deepEqual(g.nodeShapes.sum, ['N', 4]);
});

test('buildModel uses PyTorch key names: nested blocks, named children, shared layers, graph attributes', () => {
  manualSeed(0);
  const nested = buildModel(example('nested_blocks'));
  const keys = Object.keys(nested.stateDict());
  assert.equal(keys[0], '0.block 0.0.weight');
  assert.equal(keys.at(-1), '1.bias');
  assert.equal(keys.length, 18);
  assert.match(nested.toString(), /\(block 3\): Sequential\(/);
  const shared = buildModel(example('shared_weights')) as nn.Sequential;
  assert.equal(shared.get(2), shared.get(4));
  assert.deepEqual(
    shared.namedParameters().map(([n]) => n),
    ['0.weight', '0.bias', '2.weight', '2.bias', '6.weight', '6.bias'],
  );
  assert.ok('4.weight' in shared.stateDict());
  const graph = buildModel(example('two_branch'));
  assert.deepEqual(Object.keys(graph.stateDict()), ['layer1.weight', 'layer1.bias', 'layer2.0.weight', 'layer2.0.bias', 'head.weight', 'head.bias']);
  assert.equal(graph.constructor.name, 'TwoBranch');
  const chimera = buildModel(example('chimera'));
  assert.equal(Object.keys(chimera.stateDict())[0], '0.net.0.weight');
  const twice = base(
    {
      id: 's',
      op: 'Sequential',
      children: [
        { id: 'a', op: 'Block', block: 'b' },
        { id: 'c', op: 'Block', block: 'b' },
      ],
    },
    {
      blocks: { b: { body: { id: 'body', op: 'Sequential', children: [{ id: 'l', op: 'Linear', args: { inFeatures: 2, outFeatures: 2 } }] } } },
    },
  );
  const m = buildModel(twice) as nn.Sequential;
  assert.notEqual((m.get(0) as nn.Sequential).get(0), (m.get(1) as nn.Sequential).get(0), 'each block instance has its own weights');
});

test('the graph forward equals the same computation written by hand', () => {
  manualSeed(1);
  const model = buildModel(example('two_branch'));
  const x = randn([5, 2]);
  const sd = model.stateDict();
  const l1 = x.matmul(sd['layer1.weight'].t()).add(sd['layer1.bias']);
  const l2 = x.matmul(sd['layer2.0.weight'].t()).add(sd['layer2.0.bias']).tanh();
  const expected = l1.add(l2).matmul(sd['head.weight'].t()).add(sd['head.bias']);
  const got = model.forward(x);
  got.data.forEach((v, i) => assert.ok(Math.abs(v - expected.data[i]) < 1e-6));
});

test('per-layer init from the document is applied', () => {
  const doc = base({
    id: 's',
    op: 'Sequential',
    children: [
      { id: 'a', op: 'Linear', args: { inFeatures: 2, outFeatures: 3 }, init: { weight: { kind: 'constant', value: 42 }, bias: { kind: 'zeros' } } },
    ],
  });
  const m = buildModel(doc);
  assert.ok(m.stateDict()['0.weight'].data.every((v) => v === 42));
  assert.ok(m.stateDict()['0.bias'].data.every((v) => v === 0));
});

test('JSON and schema errors give the path, the line and what was expected', () => {
  const bad = validateDocument('{\n  "format": "nnblocks.model/1",\n  "name": "x",\n  oops\n}');
  assert.equal(bad.ok, false);
  if (!bad.ok) {
    assert.match(bad.issues[0].message, /not valid JSON/);
    assert.equal(bad.issues[0].line, 4);
  }
  const text = JSON.stringify(
    { format: 'nnblocks.model/1', name: '1bad', input: { shape: [2] }, model: { id: 's', op: 'Sequential', children: [{ id: 'a', op: 'Shared' }] } },
    null,
    2,
  );
  const r = validateDocument(text);
  assert.equal(r.ok, false);
  if (!r.ok) {
    const byPath = Object.fromEntries(r.issues.map((i) => [i.path, i]));
    assert.match(byPath.name.message, /must be an identifier/);
    assert.equal(byPath.name.line, 3);
    assert.equal(byPath['model.children[0].ref'].message, 'required: expected a string');
    assert.equal(byPath['model.children[0].ref'].line, 13, 'the line where the node missing the key starts');
  }
  assert.throws(
    () => parseDocument({ format: 'other' }, 'f.nnb.json'),
    /f\.nnb\.json is not a valid NN Blocks model:[\s\S]*format: expected "format": "nnblocks.model\/1"/,
  );
});

test('analysis errors are attached to the node or edge at fault and say what to change', () => {
  const lin = (id: string, i: number, o: number, extra = {}) => ({ id, op: 'Linear', args: { inFeatures: i, outFeatures: o }, ...extra });
  const mismatch = errorsOf(base({ id: 's', op: 'Sequential', children: [lin('a', 2, 4), { id: 't', op: 'Tanh' }, lin('b', 5, 1)] }));
  assert.deepEqual(
    mismatch.map((d) => d.id),
    ['b'],
  );
  assert.match(mismatch[0].message, /expects 5 input features but receives 4/);

  const unknown = errorsOf(
    base({ id: 's', op: 'Sequential', children: [{ id: 'x', op: 'Conv9d' }, lin('a', 2, 4, { args: { inFeatures: 2, outFeatures: 4, widht: 3 } })] }),
  );
  assert.match(unknown.find((d) => d.id === 'x')!.message, /unknown layer type "Conv9d"/);
  assert.match(unknown.find((d) => d.id === 'a')!.message, /Linear has no argument "widht" \(arguments: inFeatures, outFeatures, bias\)/);
  assert.match(
    errorsOf(base({ id: 's', op: 'Sequential', children: [{ id: 'a', op: 'Linear', args: { inFeatures: 2 } }] }))[0].message,
    /needs the argument "outFeatures"/,
  );

  const graph = (nodes: unknown[], edges: unknown[], outputs = ['b']) => base({ id: 'g', op: 'Graph', inputs: ['x'], nodes, edges, outputs });
  const cycle = errorsOf(
    graph(
      [lin('a', 2, 2), lin('b', 2, 2)],
      [
        { id: 'e1', from: 'a', to: 'b' },
        { id: 'e2', from: 'b', to: 'a' },
      ],
    ),
  );
  assert.ok(cycle.some((d) => d.id === 'e1' && /part of a cycle/.test(d.message)));
  const dangling = errorsOf(graph([lin('a', 2, 2), lin('b', 2, 2)], [{ id: 'e1', from: 'x', to: 'b' }]));
  assert.ok(dangling.some((d) => d.id === 'a' && /has no input: connect something to it/.test(d.message)));
  const merge = errorsOf(
    graph(
      [lin('a', 2, 3), lin('c', 2, 4), { id: 'b', op: 'add' }],
      [
        { id: 'e1', from: 'x', to: 'a' },
        { id: 'e2', from: 'x', to: 'c' },
        { id: 'e3', from: 'a', to: 'b' },
        { id: 'e4', from: 'c', to: 'b' },
      ],
    ),
  );
  assert.ok(merge.some((d) => d.id === 'b' && /shapes \[N, 3\] and \[N, 4\] do not match/.test(d.message)));
  const badEdge = errorsOf(graph([lin('b', 2, 2)], [{ id: 'e1', from: 'nowhere', to: 'b' }]));
  assert.ok(badEdge.some((d) => d.id === 'e1' && /starts at "nowhere"/.test(d.message)));

  const shared = errorsOf(
    base({ id: 's', op: 'Sequential', children: [lin('a', 2, 4), { id: 'r', op: 'ReLU' }, { id: 'again', op: 'Shared', ref: 'a' }] }),
  );
  assert.ok(
    shared.some((d) => d.id === 'again' && /the shared layer Linear a does not fit here.*expects 2 input features but receives 4/.test(d.message)),
  );
  assert.ok(
    errorsOf(base({ id: 's', op: 'Sequential', children: [{ id: 'z', op: 'Shared', ref: 'ghost' }] })).some((d) =>
      /"ghost", which does not exist/.test(d.message),
    ),
  );

  const names = errorsOf(graph([lin('b', 2, 2, { name: '2fast' })], [{ id: 'e1', from: 'x', to: 'b' }]));
  assert.ok(names.some((d) => d.id === 'b' && /"2fast" is not a valid identifier/.test(d.message)));
  const dup = errorsOf(base({ id: 's', op: 'Sequential', children: [lin('a', 2, 2, { name: 'blk' }), lin('b', 2, 2, { name: 'blk' })] }));
  assert.ok(dup.some((d) => d.id === 'b' && /both named "blk"/.test(d.message)));
  const ids = errorsOf(base({ id: 's', op: 'Sequential', children: [lin('a', 2, 2), lin('a', 2, 2)] }));
  assert.ok(ids.some((d) => /the id "a" is used by more than one node/.test(d.message)));
  const selfBlock = errorsOf(
    base(
      { id: 's', op: 'Block', block: 'b' },
      { blocks: { b: { body: { id: 'body', op: 'Sequential', children: [{ id: 'inner', op: 'Block', block: 'b' }] } } } },
    ),
  );
  assert.ok(selfBlock.some((d) => /block 'b' contains itself \(b → b\)/.test(d.message)));
  const fanless = errorsOf(base({ id: 's', op: 'Sequential', children: [lin('a', 2, 2, { init: { bias: { kind: 'kaimingUniform' } } })] }));
  assert.ok(
    fanless.some(
      (d) => d.id === 'a' && /kaimingUniform init needs a parameter with at least 2 dimensions, but "bias" has shape \[2\]/.test(d.message),
    ),
  );
  assert.throws(
    () => buildModel(base({ id: 's', op: 'Sequential', children: [lin('a', 3, 2)] })),
    /model 'm' has errors:\n {2}a: Linear a expects 3 input features but receives 2/,
  );
});

test('the catalogue describes every layer with args, docs and a shape rule', () => {
  for (const spec of LAYERS) {
    assert.ok(spec.doc.length > 10, spec.op);
    for (const a of spec.args) assert.ok(a.doc.length > 3 && a.torchName.length > 0, `${spec.op}.${a.name}`);
  }
  assert.deepEqual(
    LAYERS.find((l) => l.op === 'Linear')!.args.map((a) => a.torchName),
    ['in_features', 'out_features', 'bias'],
  );
});
