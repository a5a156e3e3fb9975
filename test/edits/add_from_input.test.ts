/**
 * A new layer takes its input size from where it is added, as PyTorch's Lazy modules infer it (issue
 * 14.3): Linear's inFeatures and LayerNorm's normalizedShape from the last dimension, a convolution's
 * inChannels and BatchNorm's numFeatures from dimension 1, at any index of any Sequential, an empty one
 * included; so a model built by dropping layers one after the other has no shape error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument, type ModelDocument, type SequentialNode } from '../../engine/graph';
import { analyzeDocument } from '../../engine/graph/analyze';
import { applyEdit, locate } from '../../engine/graph/edits';
import { errors, example, ok } from './helpers';

const emptyChain = (shape: number[]): ModelDocument =>
  parseDocument({ format: 'nnblocks.model/1', name: 'chain', input: { shape }, model: { id: 'net', op: 'Sequential', children: [] } });

const argsOf = (doc: ModelDocument, id: string) => (locate(doc, id)?.node as { args?: Record<string, unknown> }).args ?? {};
const childIds = (doc: ModelDocument, id = doc.model.id) => (locate(doc, id)?.node as SequentialNode).children.map((c) => c.id);

test('Linear after Linear, dropped at the end of an empty chain each time, fits with no error', () => {
  let doc = emptyChain([784]);
  for (let i = 0; i < 3; i++) {
    const before = childIds(doc).length;
    doc = ok(applyEdit(doc, { kind: 'addNode', op: 'Linear', placement: { container: 'net', index: before } }));
    if (i < 2) doc = ok(applyEdit(doc, { kind: 'addNode', op: 'ReLU', placement: { container: 'net', index: before + 1 } }));
  }
  const linears = childIds(doc).filter((id) => locate(doc, id)?.node.op === 'Linear');
  assert.deepEqual(
    linears.map((id) => argsOf(doc, id).inFeatures),
    [784, 16, 16],
  );
  assert.deepEqual(errors(doc), []);
  assert.deepEqual(analyzeDocument(doc).outputShape, ['N', 16]);
});

test('a layer dropped between two children takes what flows there; one at the front takes the model input', () => {
  const spiral = example('flower');
  const [fc1] = childIds(spiral);
  const width = argsOf(spiral, fc1).outFeatures;
  const mid = ok(applyEdit(spiral, { kind: 'addNode', op: 'Linear', placement: { container: spiral.model.id, index: 2 } }));
  assert.equal(argsOf(mid, childIds(mid)[2]).inFeatures, width);
  const front = ok(applyEdit(spiral, { kind: 'addNode', op: 'LayerNorm', placement: { container: spiral.model.id, index: 0 } }));
  assert.deepEqual(argsOf(front, childIds(front)[0]).normalizedShape, [spiral.input.shape.at(-1)]);
  assert.deepEqual(errors(front), []);
});

test('convolutions and batch norms take the channels (dimension 1), inside a nested Sequential too', () => {
  const cnn = example('cnn_bn');
  // stage1 is conv (1 -> 16 channels), bn, relu, pool: after the pool the chain carries 16 channels.
  const stage = childIds(cnn, 'stage1');
  const conv = ok(applyEdit(cnn, { kind: 'addNode', op: 'Conv2d', placement: { container: 'stage1', index: stage.length } }));
  assert.equal(argsOf(conv, childIds(conv, 'stage1').at(-1)!).inChannels, 16);
  const bn = ok(applyEdit(cnn, { kind: 'addNode', op: 'BatchNorm2d', placement: { container: 'stage1', index: 1 } }));
  assert.equal(argsOf(bn, childIds(bn, 'stage1')[1]).numFeatures, 16);
  const first = ok(applyEdit(cnn, { kind: 'addNode', op: 'Conv2d', placement: { container: 'stage1', index: 0 } }));
  assert.equal(argsOf(first, childIds(first, 'stage1')[0]).inChannels, cnn.input.shape[0]);
});

test('an empty Sequential inside a chain passes on what flows into it', () => {
  let doc = emptyChain([3, 8, 8]);
  doc = ok(applyEdit(doc, { kind: 'addNode', op: 'Sequential', placement: { container: 'net', index: 0 } }));
  const inner = childIds(doc)[0];
  doc = ok(applyEdit(doc, { kind: 'addNode', op: 'Conv2d', placement: { container: inner, index: 0 } }));
  assert.equal(argsOf(doc, childIds(doc, inner)[0]).inChannels, 3);
  assert.deepEqual(errors(doc), []);
});

test('arguments the edit gives are kept, and a free node of a Graph keeps the default size', () => {
  const spiral = example('flower');
  const given = ok(
    applyEdit(spiral, {
      kind: 'addNode',
      op: 'Linear',
      args: { inFeatures: 7, outFeatures: 3 },
      placement: { container: spiral.model.id, index: 1 },
    }),
  );
  assert.deepEqual(argsOf(given, childIds(given)[1]), { inFeatures: 7, outFeatures: 3 });
  const graph = example('two_branch');
  const free = ok(applyEdit(graph, { kind: 'addNode', op: 'Linear', placement: { container: graph.model.id } }));
  const added = (free.model as { nodes: { id: string }[] }).nodes.at(-1)!.id;
  assert.equal(argsOf(free, added).inFeatures, 16);
});
