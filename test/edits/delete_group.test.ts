import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../engine/graph/analyze';
import { applyEdit } from '../../engine/graph/edits';
import type { GraphNode, SequentialNode, SharedNode } from '../../engine/graph';
import { errors, example, ok, refused } from './helpers';

test('deleting from a Sequential closes the chain', () => {
  const doc = ok(applyEdit(example('mlp_28x28'), { kind: 'delete', ids: ['relu1', 'fc2', 'relu2'] }));
  assert.deepEqual(
    (doc.model as SequentialNode).children.map((c) => c.id),
    ['flatten', 'fc1', 'fc3'],
  );
});

test('deleting from a Graph bridges the node: consumers and outputs take its input', () => {
  let doc = ok(applyEdit(example('two_branch'), { kind: 'delete', ids: ['sum'] }));
  let g = doc.model as GraphNode;
  assert.deepEqual(
    g.edges.filter((e) => e.to === 'head'),
    [],
  );
  doc = ok(applyEdit(example('two_branch'), { kind: 'delete', ids: ['head'] }));
  g = doc.model as GraphNode;
  assert.deepEqual(g.outputs, ['sum']);
  assert.deepEqual(analyzeDocument(doc).outputShape, ['N', 4]);
  // A layer in the middle of a path: the path survives.
  doc = ok(applyEdit(example('nest_mlp'), { kind: 'delete', ids: ['net'] }));
  g = doc.model as GraphNode;
  assert.deepEqual(
    g.edges.map((e) => [e.from, e.to]),
    [['x', 'linear']],
  );
});

test('deleting a shared original hands its layer to the first tied node', () => {
  const doc = ok(applyEdit(example('shared_weights'), { kind: 'delete', ids: ['shared'] }));
  const kids = (doc.model as SequentialNode).children;
  const heir = kids.find((c) => c.id === 'shared_again')!;
  assert.equal(heir.op, 'Linear');
  assert.deepEqual(errors(doc), []);
});

test('the model root and block bodies cannot be deleted', () => {
  refused(applyEdit(example('flower'), { kind: 'delete', ids: ['net'] }), /model itself/);
  refused(applyEdit(example('nested_blocks'), { kind: 'delete', ids: ['b1'] }), /body of block 'block1'/);
});

test('group contiguous Sequential children, nest groups, then ungroup back to the original', () => {
  const original = example('mlp_28x28');
  let doc = ok(applyEdit(original, { kind: 'group', ids: ['fc2', 'relu1'] }));
  const outer = doc.model as SequentialNode;
  const group = outer.children[2] as SequentialNode;
  assert.equal(group.op, 'Sequential');
  assert.deepEqual(
    group.children.map((c) => c.id),
    ['relu1', 'fc2'],
  );
  doc = ok(applyEdit(doc, { kind: 'group', ids: [group.id, 'relu2'] }));
  const nested = (doc.model as SequentialNode).children[2] as SequentialNode;
  assert.deepEqual(
    nested.children.map((c) => c.op),
    ['Sequential', 'ReLU'],
  );
  assert.equal(analyzeDocument(doc).totalParams, analyzeDocument(original).totalParams);
  doc = ok(applyEdit(doc, { kind: 'ungroup', id: nested.id }));
  doc = ok(applyEdit(doc, { kind: 'ungroup', id: group.id }));
  assert.deepEqual(doc, original);
  refused(applyEdit(original, { kind: 'group', ids: ['fc1', 'fc2'] }), /not next to each other/);
});

test('group a chain inside a Graph; branches are refused', () => {
  const doc = ok(applyEdit(example('nest_mlp'), { kind: 'group', ids: ['net', 'linear'] }));
  const g = doc.model as GraphNode;
  assert.equal(g.nodes.length, 1);
  const seq = g.nodes[0] as SequentialNode;
  assert.deepEqual(
    g.edges.map((e) => [e.from, e.to]),
    [['x', seq.id]],
  );
  assert.deepEqual(g.outputs, [seq.id]);
  assert.deepEqual(analyzeDocument(doc).outputShape, ['N', 16]);
  refused(applyEdit(example('two_branch'), { kind: 'group', ids: ['layer1', 'layer2'] }), /chain/);
  refused(applyEdit(example('two_branch'), { kind: 'group', ids: ['layer1', 'sum'] }), /merge|input besides/);
  const back = ok(applyEdit(doc, { kind: 'ungroup', id: seq.id }));
  assert.deepEqual(analyzeDocument(back).outputShape, ['N', 16]);
  assert.deepEqual(errors(back), []);
});

test('reorder moves a child within its Sequential', () => {
  const doc = ok(applyEdit(example('flower'), { kind: 'reorder', id: 'fc2', delta: -1 }));
  assert.deepEqual(
    (doc.model as SequentialNode).children.map((c) => c.id),
    ['fc1', 'fc2', 'tanh1'],
  );
  refused(applyEdit(example('flower'), { kind: 'reorder', id: 'fc1', delta: -1 }), /already first/);
});

test('shared-weight refs are untouched by grouping', () => {
  const doc = ok(applyEdit(example('shared_weights'), { kind: 'group', ids: ['shared', 'r2'] }));
  const tied = (doc.model as SequentialNode).children.find((c) => c.op === 'Shared') as SharedNode;
  assert.equal(tied.ref, 'shared');
  assert.deepEqual(errors(doc), []);
});
