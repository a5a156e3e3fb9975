/**
 * Share Weights With... (issue 14.2): a layer is offered the other layers of its type in its scope, each
 * with the refusal the edit itself would give: one whose sizes do not fit here or downstream is refused
 * naming the error, and a layer others are tied to is never re-tied (their ties would have to move).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument, type ModelDocument } from '../../engine/graph';
import { applyEdit, locate, shareCandidates } from '../../engine/graph/edits';
import { errors, ok, refused } from './helpers';

/** fc1 4 -> 8, a 8 -> 8, b 8 -> 8, a_tied (a's weights), out 8 -> 1, with ReLUs between. */
function chain(): ModelDocument {
  const linear = (id: string, inFeatures: number, outFeatures: number) => ({ id, op: 'Linear', args: { inFeatures, outFeatures } });
  return parseDocument({
    format: 'nnblocks.model/1',
    name: 'ties',
    input: { shape: [4] },
    model: {
      id: 'net',
      op: 'Sequential',
      children: [
        linear('fc1', 4, 8),
        { id: 'r1', op: 'ReLU' },
        linear('a', 8, 8),
        { id: 'r2', op: 'ReLU' },
        linear('b', 8, 8),
        { id: 'r3', op: 'ReLU' },
        { id: 'a_tied', op: 'Shared', ref: 'a' },
        linear('out', 8, 1),
      ],
    },
  });
}

const reasons = (doc: ModelDocument, id: string) => Object.fromEntries(shareCandidates(doc, id).map((c) => [c.node.id, c.reason]));

test('only layers whose sizes fit are offered; the others say what breaks, downstream included', () => {
  const r = reasons(chain(), 'b');
  assert.deepEqual(Object.keys(r).sort(), ['a', 'fc1', 'out']);
  assert.equal(r.a, null);
  assert.match(r.fc1 ?? '', /fc1 does not fit in place of b: .*expects 4 input features but receives 8/);
  // out (8 -> 1) would fit b's input, but a_tied after it then receives 1 feature.
  assert.match(r.out ?? '', /out does not fit in place of b: .*receives 1 \(input shape \[N, 1\]\)/);
  const doc = ok(applyEdit(chain(), { kind: 'shareWeights', id: 'b', ref: 'a' }));
  assert.deepEqual(locate(doc, 'b')?.node, { id: 'b', op: 'Shared', ref: 'a' });
  assert.deepEqual(errors(doc), []);
});

test('a layer others are tied to is not re-tied: the tie the user did not touch stays as it is', () => {
  const doc = chain();
  for (const [id, reason] of Object.entries(reasons(doc, 'a')))
    assert.match(reason ?? '', /a_tied shares a's weights, and tying a to .* would change that tie too: untie a_tied first/, id);
  refused(applyEdit(doc, { kind: 'shareWeights', id: 'a', ref: 'b' }), /untie a_tied first/);
  // Untied, the same tie is possible, and a_tied (now its own layer) keeps its own weights.
  const untied = ok(applyEdit(doc, { kind: 'untie', id: 'a_tied' }));
  const tied = ok(applyEdit(untied, { kind: 'shareWeights', id: 'a', ref: 'b' }));
  assert.equal(locate(tied, 'a_tied')?.node.op, 'Linear');
  assert.deepEqual(locate(tied, 'a')?.node, { id: 'a', op: 'Shared', ref: 'b' });
});
