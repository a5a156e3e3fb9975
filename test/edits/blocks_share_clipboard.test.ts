import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../engine/graph/analyze';
import { applyEdit, copyNodes } from '../../engine/graph/edits';
import type { BlockNode, GraphNode, LayerNode, SequentialNode, SharedNode } from '../../engine/graph';
import { errors, example, ok, refused } from './helpers';

test('make a reusable block from a group, then instantiate it again with its own weights', () => {
  let doc = ok(applyEdit(example('mlp_28x28'), { kind: 'group', ids: ['fc2', 'relu2'] }));
  const groupId = (doc.model as SequentialNode).children[3].id;
  const before = analyzeDocument(doc).totalParams;
  doc = ok(applyEdit(doc, { kind: 'makeBlock', id: groupId, name: 'hidden' }));
  const inst = (doc.model as SequentialNode).children[3] as BlockNode;
  assert.equal(inst.op, 'Block');
  assert.equal(inst.block, 'hidden');
  assert.deepEqual(doc.blocks?.hidden.body.op, 'Sequential');
  assert.equal(analyzeDocument(doc).totalParams, before);
  doc = ok(applyEdit(doc, { kind: 'addNode', op: 'Block', block: 'hidden', placement: { after: inst.id } }));
  assert.equal(analyzeDocument(doc).totalParams, before + 512 * 512 + 512);
  assert.deepEqual(errors(doc), []);
  // Editing the definition changes every instance.
  doc = ok(applyEdit(doc, { kind: 'setArgs', id: 'fc2', args: { bias: false } }));
  assert.equal(analyzeDocument(doc).totalParams, before - 512 + 512 * 512);
  refused(applyEdit(doc, { kind: 'makeBlock', id: 'fc1', name: 'hidden' }), /already exists/);
  refused(applyEdit(doc, { kind: 'makeBlock', id: 'fc1', name: '2fast' }), /not a valid block name/);
});

test('a block cannot cut through tied weights', () => {
  const doc = ok(applyEdit(example('shared_weights'), { kind: 'group', ids: ['shared', 'r2'] }));
  const group = (doc.model as SequentialNode).children[2].id;
  refused(applyEdit(doc, { kind: 'makeBlock', id: group, name: 'tied' }), /across the new block's boundary/);
});

test('share weights ties a layer to another of the same kind; untie gives it an independent copy', () => {
  const base = example('mlp_28x28');
  refused(applyEdit(base, { kind: 'shareWeights', id: 'fc3', ref: 'relu1' }), /same kind/);
  refused(applyEdit(base, { kind: 'shareWeights', id: 'fc3', ref: 'fc1' }), /receives 512|cannot take input/);
  let doc = ok(applyEdit(example('shared_weights'), { kind: 'untie', id: 'shared_again' }));
  const copy = (doc.model as SequentialNode).children[4] as LayerNode;
  assert.equal(copy.op, 'Linear');
  assert.equal(copy.id, 'shared_again');
  assert.equal(analyzeDocument(doc).totalParams, analyzeDocument(example('shared_weights')).totalParams + 72);
  doc = ok(applyEdit(doc, { kind: 'shareWeights', id: 'shared_again', ref: 'shared' }));
  assert.deepEqual(doc, example('shared_weights'));
  refused(applyEdit(doc, { kind: 'untie', id: 'fc1' }), /does not share/);
});

test('rename validates identifiers in a Graph and keys in a Sequential, and refuses collisions', () => {
  refused(applyEdit(example('two_branch'), { kind: 'rename', id: 'layer1', name: '1st' }), /not a valid identifier/);
  refused(applyEdit(example('two_branch'), { kind: 'rename', id: 'layer1', name: 'head' }), /already the key/);
  const doc = ok(applyEdit(example('two_branch'), { kind: 'rename', id: 'layer1', name: 'left' }));
  assert.equal((doc.model as GraphNode).nodes[0].name, 'left');
  ok(applyEdit(example('flower'), { kind: 'rename', id: 'fc1', name: 'block 0' }));
  refused(applyEdit(example('flower'), { kind: 'rename', id: 'fc1', name: 'a.b' }), /no dots/);
  refused(applyEdit(example('flower'), { kind: 'rename', id: 'fc1', name: '2' }), /already the key/);
});

test('set args and init validate against the catalogue', () => {
  refused(applyEdit(example('flower'), { kind: 'setArgs', id: 'fc1', args: { outFeatures: 0 } }), />= 1/);
  refused(applyEdit(example('flower'), { kind: 'setArgs', id: 'fc1', args: { kernel: 3 } }), /no argument "kernel"/);
  const doc = ok(applyEdit(example('flower'), { kind: 'setInit', id: 'fc1', param: 'weight', init: { kind: 'normal', mean: 0, std: 0.1 } }));
  assert.deepEqual((doc.model as SequentialNode).children[0] as LayerNode, {
    id: 'fc1',
    op: 'Linear',
    args: { inFeatures: 2, outFeatures: 4 },
    init: { weight: { kind: 'normal', mean: 0, std: 0.1 } },
  });
  refused(applyEdit(example('flower'), { kind: 'setInit', id: 'tanh1', param: 'weight', init: { kind: 'zeros' } }), /no parameter/);
});

test('copy and paste give fresh ids, keep internal wiring and ties, and bring block definitions along', () => {
  const src = example('two_branch');
  const payload = copyNodes(src, ['layer1', 'layer2', 'sum']);
  assert.equal(payload.nodes.length, 3);
  assert.deepEqual(
    payload.edges.map((e) => e.id),
    ['e3', 'e4'],
  );
  const doc = ok(applyEdit(src, { kind: 'paste', payload, placement: { container: 'g' } }));
  const g = doc.model as GraphNode;
  const ids = g.nodes.map((n) => n.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(g.nodes.length, 7);
  const pasted = g.nodes.slice(4);
  const innerEdges = g.edges.filter((e) => pasted.some((n) => n.id === e.to));
  assert.equal(innerEdges.length, 2);
  assert.ok(innerEdges.every((e) => pasted.some((n) => n.id === e.from)));
  assert.deepEqual(
    pasted.map((n) => n.name),
    ['layer1_2', 'layer2_2', undefined],
  );
  // Blocks travel with their instances into another model.
  const blocks = copyNodes(example('nested_blocks'), ['body']);
  const into = ok(applyEdit(example('flower'), { kind: 'paste', payload: blocks, placement: { container: 'net' } }));
  assert.deepEqual(Object.keys(into.blocks ?? {}).sort(), ['block1', 'block2']);
  // A tied node pasted into another model becomes an owned copy of its original.
  const tied = copyNodes(example('shared_weights'), ['shared_again']);
  const other = ok(applyEdit(example('flower'), { kind: 'paste', payload: tied, placement: { after: 'fc1' } }));
  assert.equal((other.model as SequentialNode).children[1].op, 'Linear');
  // ... and stays tied within the same model.
  const same = ok(applyEdit(example('shared_weights'), { kind: 'paste', payload: tied, placement: { after: 'r3' } }));
  assert.equal(((same.model as SequentialNode).children[6] as SharedNode).ref, 'shared');
  refused(applyEdit(src, { kind: 'paste', payload: { ...payload, kind: 'x' } as never, placement: { container: 'g' } }), /clipboard/);
});
