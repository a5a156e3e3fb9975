/**
 * What arrives from the webview is checked before anything acts on it: malformed messages are not
 * messages at all (isWebviewMessage), and well-formed operations with bad values are refused by the
 * edit itself, never thrown and never written. Also the small property edits: input shape, tied copies,
 * placement at an index.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../engine/graph/analyze';
import { applyEdit } from '../../engine/graph/edits';
import type { SequentialNode, SharedNode } from '../../engine/graph';
import { isWebviewMessage } from '../../protocol/messages';
import { example, ok, refused } from './helpers';

test('malformed webview messages are rejected before use', () => {
  const bad: unknown[] = [
    null,
    'edit',
    42,
    {},
    { type: 'nope' },
    { type: 'edit' },
    { type: 'edit', op: null },
    { type: 'edit', op: { kind: 'format-disk' } },
    { type: 'edit', op: { kind: 'delete', ids: 'fc1' } },
    { type: 'edit', op: { kind: 'delete', ids: ['fc1', 3] } },
    { type: 'edit', op: { kind: 'addNode', op: 'ReLU' } },
    { type: 'edit', op: { kind: 'addNode', op: 'ReLU', placement: { after: 7 } } },
    { type: 'edit', op: { kind: 'addNode', op: 'ReLU', placement: { container: 'net', index: 1.5 } } },
    { type: 'edit', op: { kind: 'reorder', id: 'fc1', delta: '1' } },
    { type: 'edit', op: { kind: 'setArgs', id: 'fc1', args: { outFeatures: { $gt: 1 } } } },
    { type: 'edit', op: { kind: 'setInputShape', shape: [2.5] } },
    { type: 'edit', op: { kind: 'paste', placement: { container: 'net' } } },
    { type: 'command', command: 'rm -rf' },
    { type: 'command', command: 'undo' },
    { type: 'command', command: 'constructor' },
    { type: 'command' },
    { type: 'edit', op: { kind: 'delete', ids: ['fc1'] } }, // no edit number
    { type: 'edit', op: { kind: 'delete', ids: ['fc1'] }, seq: 0 },
  ];
  for (const m of bad) assert.equal(isWebviewMessage(m), false, JSON.stringify(m));
  for (const m of [{ type: 'ready' }, { type: 'command', command: 'exportOnnx' }, { type: 'edit', op: { kind: 'delete', ids: ['fc1'] }, seq: 1 }])
    assert.equal(isWebviewMessage(m), true, JSON.stringify(m));
});

test('well-formed operations with bad values are refused, and the document stays valid', () => {
  const spiral = example('flower');
  refused(applyEdit(spiral, { kind: 'addNode', op: '__proto__', placement: { after: 'fc1' } }), /unknown layer type/);
  refused(applyEdit(spiral, { kind: 'addNode', op: 'ReLU', placement: { after: 'nowhere' } }), /there is no node "nowhere"/);
  refused(applyEdit(spiral, { kind: 'setArgs', id: 'fc1', args: { outFeatures: 2.5 } }), /must be an integer, got 2.5/);
  refused(applyEdit(spiral, { kind: 'setArgs', id: 'fc1', args: { outFeatures: Number.NaN } }), /must be an integer, got NaN/);
  refused(
    applyEdit(spiral, { kind: 'setInit', id: 'fc1', param: 'weight', init: { kind: 'normal', mean: 0, std: -1 } }),
    /invalid init for weight: Number must be greater than 0/,
  );
  refused(applyEdit(spiral, { kind: 'setInit', id: 'fc1', param: 'weight', init: { kind: 'rm' } as never }), /invalid init for weight/);
  refused(applyEdit(spiral, { kind: 'rename', id: 'ghost', name: 'x' }), /there is no node "ghost"/);
  // A clipboard payload of the right kind but holding garbage: refused, not thrown.
  const garbage = { kind: 'nnblocks.clipboard/1', nodes: [{ id: 5, op: 'Sequential', children: 'no' }], edges: [], blocks: {}, originals: {} };
  refused(applyEdit(spiral, { kind: 'paste', payload: garbage as never, placement: { container: 'net' } }), /the edit failed/);
  refused(applyEdit(spiral, { kind: 'setTraining', training: { epochs: -3 } as never }), /invalid training section/);
});

test('setInputShape takes positive integers and reshapes every shape downstream', () => {
  refused(applyEdit(example('flower'), { kind: 'setInputShape', shape: [] }), /positive integers/);
  refused(applyEdit(example('flower'), { kind: 'setInputShape', shape: [0] }), /positive integers/);
  const doc = ok(applyEdit(example('mlp_28x28'), { kind: 'setInputShape', shape: [1, 14, 56] }));
  assert.deepEqual(doc.input.shape, [1, 14, 56]);
  assert.deepEqual(analyzeDocument(doc).nodeShapes.flatten, ['N', 784]);
  const wrong = ok(applyEdit(example('flower'), { kind: 'setInputShape', shape: [3] }));
  assert.match(
    analyzeDocument(wrong)
      .diagnostics.map((d) => d.message)
      .join('\n'),
    /expects 2 input features but receives 3/,
  );
});

test('Add Tied Copy places a Shared node after its original; a placement index puts a node where it was dropped', () => {
  const doc = ok(applyEdit(example('flower'), { kind: 'addNode', op: 'Shared', ref: 'tanh1', placement: { after: 'tanh1' } }));
  const kids = (doc.model as SequentialNode).children;
  assert.deepEqual(
    kids.map((c) => c.op),
    ['Linear', 'Tanh', 'Shared', 'Linear'],
  );
  assert.equal((kids[2] as SharedNode).ref, 'tanh1');
  refused(applyEdit(example('flower'), { kind: 'addNode', op: 'Shared', ref: 'ghost', placement: { after: 'fc1' } }), /no node "ghost"/);
  const dropped = ok(applyEdit(example('flower'), { kind: 'addNode', op: 'Dropout', placement: { container: 'net', index: 1 } }));
  assert.deepEqual(
    (dropped.model as SequentialNode).children.map((c) => c.op),
    ['Linear', 'Dropout', 'Tanh', 'Linear'],
  );
});
