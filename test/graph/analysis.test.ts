import test from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument, parseDocument, type ModelDocument, type Diagnostic } from '../../engine/graph';
import { loadCases, loadDoc } from './helpers';

const seq = (children: unknown[], input = [2]): ModelDocument =>
  parseDocument({ format: 'nnblocks.model/1', name: 'm', input: { shape: input }, model: { id: 'net', op: 'Sequential', children } });
const linear = (id: string, i: number, o: number, extra: Record<string, unknown> = {}) => ({
  id,
  op: 'Linear',
  args: { inFeatures: i, outFeatures: o },
  ...extra,
});
const graph = (nodes: unknown[], edges: unknown[], outputs: string[], inputs = ['x']): ModelDocument =>
  parseDocument({ format: 'nnblocks.model/1', name: 'm', input: { shape: [2] }, model: { id: 'g', op: 'Graph', inputs, nodes, edges, outputs } });
const errors = (doc: ModelDocument): Diagnostic[] => analyzeDocument(doc).diagnostics.filter((d) => d.severity === 'error');
const errorOn = (doc: ModelDocument, id: string, pattern: RegExp) => {
  const all = errors(doc);
  assert.ok(
    all.some((d) => d.id === id && pattern.test(d.message)),
    `no error on ${id} matching ${pattern}: ${JSON.stringify(all)}`,
  );
};

test('every example is error-free and its output shape is inferred with a symbolic batch', () => {
  const expected: Record<string, (string | number)[]> = {
    'flower.nnb.json': ['N', 1],
    'flower_deep.nnb.json': ['N', 1],
    'mlp_28x28.nnb.json': ['N', 10],
    'nest_mlp.nnb.json': ['N', 16],
    'chimera.nnb.json': ['N', 20],
    'nested_blocks.nnb.json': ['N', 1],
    'shared_weights.nnb.json': ['N', 1],
    'two_branch.nnb.json': ['N', 1],
  };
  for (const c of loadCases()) {
    const a = analyzeDocument(c.doc);
    assert.deepEqual(errors(c.doc), [], c.file);
    const name = c.file.split('/').pop() as string;
    if (expected[name]) assert.deepEqual(a.outputShape, expected[name], name);
  }
});

test('shapes on every edge: Sequential links, Graph edges, and the 28x28 flatten', () => {
  const mlp = analyzeDocument(loadDoc('mlp_28x28.nnb.json'));
  const shapes = Object.values(mlp.edgeShapes).map((s) => s.join('x'));
  assert.ok(shapes.includes('Nx1x28x28') && shapes.includes('Nx784') && shapes.includes('Nx512'), shapes.join(' '));
  const doc = loadDoc('two_branch.nnb.json');
  const a = analyzeDocument(doc);
  const model = doc.model as { edges: { id: string }[] };
  for (const e of model.edges) assert.ok(a.edgeShapes[e.id], `edge ${e.id} has no shape`);
  assert.deepEqual(a.edgeShapes.e3, ['N', 4]);
  assert.deepEqual(a.edgeShapes.e5, ['N', 4]);
});

test('parameter counts per node and in total; a shared layer counts once', () => {
  assert.equal(analyzeDocument(loadDoc('flower.nnb.json')).totalParams, 17);
  assert.equal(analyzeDocument(loadDoc('mlp_28x28.nnb.json')).totalParams, 784 * 512 + 512 + 512 * 512 + 512 + 512 * 10 + 10);
  const shared = analyzeDocument(loadDoc('shared_weights.nnb.json'));
  assert.equal(shared.params.shared, 72);
  assert.equal(shared.params.shared_again, 0);
  assert.equal(shared.totalParams, 4 * 8 + 8 + 72 + 9);
  const blocks = analyzeDocument(loadDoc('nested_blocks.nnb.json'));
  assert.equal(blocks.totalParams, 4 * (4 * 8 + 8 + 8 * 4 + 4) + 5);
});

test('feature mismatch names the node and both sizes', () => {
  errorOn(seq([linear('fc1', 2, 4), { id: 't', op: 'Tanh' }, linear('fc2', 3, 1)]), 'fc2', /expects 3 input features but receives 4/);
});

test('unknown layer types and arguments, bad values', () => {
  errorOn(
    seq([{ id: 'c', op: 'Transformer' }]),
    'c',
    /unknown layer type "Transformer" \(the layers are Linear, Conv1d, .*concat; containers Sequential, Graph, Block, Shared\)/,
  );
  errorOn(seq([{ id: 'c', op: 'Conv9d' }]), 'c', /unknown layer type "Conv9d" \(did you mean Conv1d or Conv2d\?\)/);
  errorOn(seq([{ id: 'c', op: 'linear', args: { inFeatures: 2, outFeatures: 1 } }]), 'c', /unknown layer type "linear" \(did you mean Linear\?\)/);
  errorOn(seq([{ id: 'c', op: 'Sigmod' }]), 'c', /did you mean Sigmoid\?/);
  errorOn(seq([linear('fc', 2, 4, { args: { inFeatures: 2, outFeatures: 4, bais: false } })]), 'fc', /no argument "bais"/);
  errorOn(seq([{ id: 'fc', op: 'Linear', args: { inFeatures: 2 } }]), 'fc', /needs the argument "outFeatures"/);
  errorOn(seq([{ id: 'd', op: 'Dropout', args: { p: 1.5 } }]), 'd', /"p" must be <= 1/);
  errorOn(seq([{ id: 'fc', op: 'Linear', args: { inFeatures: 'two', outFeatures: 1 } }]), 'fc', /must be a number/);
  errorOn(seq([linear('fc', 2, 4, { init: { gamma: { kind: 'zeros' } } })]), 'fc', /init for "gamma"/);
});

test('cycles are reported on the edges that form them', () => {
  const doc = graph(
    [linear('a', 2, 2), linear('b', 2, 2), { id: 's', op: 'add' }],
    [
      { id: 'e1', from: 'x', to: 's' },
      { id: 'e2', from: 'b', to: 's' },
      { id: 'e3', from: 's', to: 'a' },
      { id: 'e4', from: 'a', to: 'b' },
    ],
    ['b'],
  );
  errorOn(doc, 'e3', /cycle/);
  errorOn(doc, 'e4', /cycle/);
});

test('dangling inputs, edges to nowhere, and merges of incompatible shapes', () => {
  errorOn(graph([linear('a', 2, 3)], [], ['a']), 'a', /has no input/);
  errorOn(graph([linear('a', 2, 3)], [{ id: 'e1', from: 'y', to: 'a' }], ['a']), 'e1', /starts at "y"/);
  const merge = graph(
    [linear('a', 2, 3), linear('b', 2, 4), { id: 'sum', op: 'add' }],
    [
      { id: 'e1', from: 'x', to: 'a' },
      { id: 'e2', from: 'x', to: 'b' },
      { id: 'e3', from: 'a', to: 'sum' },
      { id: 'e4', from: 'b', to: 'sum' },
    ],
    ['sum'],
  );
  errorOn(merge, 'sum', /\[N, 3\] and \[N, 4\] do not match/);
  const cat = graph(
    [linear('a', 2, 3), linear('b', 2, 4), { id: 'c', op: 'concat', args: { dim: 1 } }],
    [
      { id: 'e1', from: 'x', to: 'a' },
      { id: 'e2', from: 'x', to: 'b' },
      { id: 'e3', from: 'a', to: 'c' },
      { id: 'e4', from: 'b', to: 'c' },
    ],
    ['c'],
  );
  assert.deepEqual(errors(cat), []);
  assert.deepEqual(analyzeDocument(cat).outputShape, ['N', 7]);
  errorOn(
    graph(
      [linear('a', 2, 3), linear('b', 2, 3)],
      [
        { id: 'e1', from: 'x', to: 'a' },
        { id: 'e2', from: 'x', to: 'b' },
        { id: 'e3', from: 'a', to: 'b' },
      ],
      ['b'],
    ),
    'b',
    /takes one input but 2 edges/,
  );
});

test('shared layers: misuse where shapes do not fit, missing targets, across blocks', () => {
  errorOn(
    seq([linear('fc', 2, 4), { id: 'again', op: 'Shared', ref: 'fc' }]),
    'again',
    /^the shared layer Linear fc does not fit here: Linear fc expects 2 input features but receives 4 \(input shape \[N, 4\]\)$/,
  );
  errorOn(seq([linear('fc', 2, 2), { id: 'again', op: 'Shared', ref: 'nope' }]), 'again', /"nope", which does not exist/);
  errorOn(seq([{ id: 'again', op: 'Shared', ref: 'net' }]), 'again', /contains this node/);
  const doc = parseDocument({
    format: 'nnblocks.model/1',
    name: 'm',
    input: { shape: [2] },
    model: {
      id: 'net',
      op: 'Sequential',
      children: [
        { id: 'b', op: 'Block', block: 'blk' },
        { id: 'again', op: 'Shared', ref: 'inner' },
      ],
    },
    blocks: { blk: { body: { id: 'body', op: 'Sequential', children: [linear('inner', 2, 2)] } } },
  });
  errorOn(doc, 'again', /in block 'blk' while this node is in the model/);
});

test('names: invalid identifiers, collisions, Module members, unknown and recursive blocks', () => {
  errorOn(seq([linear('a', 2, 2, { name: 'x' }), linear('b', 2, 2, { name: 'x' })]), 'b', /both named "x"/);
  errorOn(seq([linear('a', 2, 2, { name: 'a.b' })]), 'a', /cannot be a state-dict key/);
  errorOn(graph([linear('a', 2, 2, { name: '2fast' })], [{ id: 'e1', from: 'x', to: 'a' }], ['a']), 'a', /not a valid identifier/);
  errorOn(graph([linear('a', 2, 2, { name: 'forward' })], [{ id: 'e1', from: 'x', to: 'a' }], ['a']), 'a', /method or field of nn.Module/);
  errorOn(seq([linear('a', 2, 2), linear('a', 2, 2)]), 'a', /used by more than one node/);
  errorOn(
    graph([linear('a', 2, 2)], [{ id: 'a', from: 'x', to: 'a' }], ['a']),
    'a',
    /the edge id "a" is also the id of Linear a: every id in the document must be unique/,
  );
  errorOn(seq([{ id: 'b', op: 'Block', block: 'missing' }]), 'b', /no block named "missing"/);
  const rec = parseDocument({
    format: 'nnblocks.model/1',
    name: 'm',
    input: { shape: [2] },
    model: { id: 'b0', op: 'Block', block: 'a' },
    blocks: { a: { body: { id: 'ab', op: 'Sequential', children: [{ id: 'ib', op: 'Block', block: 'a' }] } } },
  });
  errorOn(rec, 'ab', /contains itself/);
});
