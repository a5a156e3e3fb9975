// A typo in a container's op (issue 14, item 8): the node's own keys say which container was meant, so the
// message names the op and the container instead of zod's "Unrecognized key(s)" for a layer.
import test from 'node:test';
import assert from 'node:assert/strict';
import { validateDocument } from '../../engine/graph';

const linear = { id: 'fc', op: 'Linear', args: { inFeatures: 2, outFeatures: 2 } };
const doc = (model: object) => JSON.stringify({ format: 'nnblocks.model/1', name: 'm', input: { shape: [2] }, model }, null, 2);
function issues(model: object, text = doc(model)): { path: string; message: string; line?: number }[] {
  const v = validateDocument(text);
  assert.equal(v.ok, false, 'the document is refused');
  return v.ok ? [] : v.issues;
}

test('a mistyped Graph op says unknown op and suggests Graph, at the op', () => {
  const model = {
    id: 'net',
    op: 'Grpah',
    className: 'Net',
    inputs: ['x'],
    nodes: [linear],
    edges: [{ id: 'e', from: 'x', to: 'fc' }],
    outputs: ['fc'],
  };
  const text = doc(model);
  const found = issues(model, text);
  assert.equal(found.length, 1, JSON.stringify(found));
  assert.equal(found[0].message, 'unknown op "Grpah"; did you mean Graph?');
  assert.match(found[0].path, /op$/);
  assert.equal(found[0].line, text.split('\n').findIndex((l) => l.includes('"Grpah"')) + 1, 'the line of "op"');
  assert.doesNotMatch(JSON.stringify(found), /Unrecognized/);
});

test('mistyped Sequential, Block and Shared ops suggest the container their keys belong to, nested too', () => {
  assert.equal(issues({ id: 'net', op: 'Sequentail', children: [linear] })[0].message, 'unknown op "Sequentail"; did you mean Sequential?');
  const nested = issues({
    id: 'net',
    op: 'Sequential',
    children: [
      { id: 'b', op: 'Blok', block: 'x' },
      { id: 's', op: 'Shard', ref: 'fc' },
    ],
  });
  assert.deepEqual(
    nested.map((i) => i.message),
    ['unknown op "Blok"; did you mean Block?', 'unknown op "Shard"; did you mean Shared?'],
  );
});

test('a real layer with a container key still reads as a layer with an unknown key', () => {
  assert.match(issues({ id: 'net', op: 'Sequential', children: [{ ...linear, children: [] }] })[0].message, /children/);
});
