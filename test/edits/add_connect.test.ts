import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../engine/graph/analyze';
import { applyEdit } from '../../engine/graph/edits';
import type { GraphNode, SequentialNode } from '../../engine/graph';
import { blankGraph, errors, example, ok, refused } from './helpers';

test('adding a Linear after a node sizes it to the incoming features', () => {
  const doc = ok(applyEdit(example('flower'), { kind: 'addNode', op: 'Linear', placement: { after: 'tanh1' } }));
  const seq = doc.model as SequentialNode;
  assert.deepEqual(
    seq.children.map((c) => c.op),
    ['Linear', 'Tanh', 'Linear', 'Linear'],
  );
  assert.equal((seq.children[2] as { args: Record<string, number> }).args.inFeatures, 4);
  assert.equal(new Set(seq.children.map((c) => c.id)).size, 4);
});

test('merges are refused inside a Sequential, unknown layers everywhere', () => {
  refused(applyEdit(example('flower'), { kind: 'addNode', op: 'add', placement: { after: 'fc1' } }), /belongs in a Graph/);
  refused(applyEdit(example('flower'), { kind: 'addNode', op: 'Conv9d', placement: { after: 'fc1' } }), /unknown layer type/);
});

test('connect wires a Graph and shows the inferred shape; a mismatch is refused with both sizes', () => {
  let doc = ok(applyEdit(blankGraph(), { kind: 'addNode', op: 'Linear', args: { inFeatures: 2, outFeatures: 3 }, placement: { container: 'g' } }));
  doc = ok(applyEdit(doc, { kind: 'addNode', op: 'Linear', args: { inFeatures: 5, outFeatures: 1 }, placement: { container: 'g' } }));
  const [a, b] = (doc.model as GraphNode).nodes.map((n) => n.id);
  const r = applyEdit(doc, { kind: 'connect', graph: 'g', from: 'x', to: a });
  doc = ok(r);
  const edge = (doc.model as GraphNode).edges[0];
  assert.deepEqual(analyzeDocument(doc).edgeShapes[edge.id], ['N', 2]);
  refused(applyEdit(doc, { kind: 'connect', graph: 'g', from: a, to: b }), /expects 5 input features but receives 3/);
  refused(applyEdit(doc, { kind: 'connect', graph: 'g', from: 'x', to: a }), /already connected/);
  refused(applyEdit(doc, { kind: 'connect', graph: 'g', from: a, to: a }), /cannot feed itself/);
});

test('connect refuses cycles and a second input into a single-input layer', () => {
  const doc = example('two_branch');
  refused(applyEdit(doc, { kind: 'connect', graph: 'g', from: 'head', to: 'layer1' }), /already gets it from x/);
  refused(applyEdit(doc, { kind: 'connect', graph: 'g', from: 'sum', to: 'sum' }), /itself/);
  refused(applyEdit(example('flower'), { kind: 'connect', graph: 'net', from: 'fc1', to: 'fc2' }), /inside a Graph/);
});

test('connecting into a merge appends a port; disconnect keeps ports dense; setOutput picks the output', () => {
  let doc = ok(
    applyEdit(example('two_branch'), { kind: 'addNode', op: 'Linear', args: { inFeatures: 2, outFeatures: 4 }, placement: { container: 'g' } }),
  );
  const extra = (doc.model as GraphNode).nodes.at(-1)!.id;
  doc = ok(applyEdit(doc, { kind: 'connect', graph: 'g', from: 'x', to: extra }));
  doc = ok(applyEdit(doc, { kind: 'connect', graph: 'g', from: extra, to: 'sum' }));
  const g = doc.model as GraphNode;
  assert.deepEqual(
    g.edges.filter((e) => e.to === 'sum').map((e) => e.port),
    [0, 1, 2],
  );
  doc = ok(applyEdit(doc, { kind: 'disconnect', graph: 'g', edges: ['e3'] }));
  assert.deepEqual(
    (doc.model as GraphNode).edges.filter((e) => e.to === 'sum').map((e) => [e.from, e.port]),
    [
      ['layer2', 0],
      [extra, 1],
    ],
  );
  doc = ok(applyEdit(doc, { kind: 'setOutput', graph: 'g', node: 'sum' }));
  assert.deepEqual((doc.model as GraphNode).outputs, ['sum']);
  assert.deepEqual(analyzeDocument(doc).outputShape, ['N', 4]);
});

test('every successful edit leaves a schema-valid document without new errors', () => {
  const doc = ok(applyEdit(example('mlp_28x28'), { kind: 'addNode', op: 'Dropout', placement: { after: 'relu1' } }));
  assert.deepEqual(errors(doc), []);
});
