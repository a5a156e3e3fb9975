/** The text helpers of the custom editor: the span an edit replaces, and the line of a node's id (Problems). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, serializeDocument } from '../../engine/graph';
import { applyEdit } from '../../engine/graph/edits';
import { idLocator } from '../../engine/graph/locate';
import { changedSpan } from '../../extension/editor/jsonText';

const apply = (text: string, span: ReturnType<typeof changedSpan>) => text.slice(0, span.start) + span.text + text.slice(span.end);

test('an edit replaces only the span that changed, and applying it gives the new text', () => {
  const before = readFileSync(join(__dirname, '../../examples/mlp_28x28.nnb.json'), 'utf8');
  const r = applyEdit(parseDocument(before), { kind: 'rename', id: 'fc2', name: 'hidden' });
  assert.ok(r.ok);
  const after = serializeDocument(r.doc);
  const span = changedSpan(before, after);
  assert.equal(apply(before, span), after);
  assert.ok(span.end - span.start < 40 && span.text.length < 60, `a rename touches a few characters, not ${span.end - span.start}`);
  assert.ok(before.slice(0, span.start).includes('"id": "fc2"'), 'everything before the change is kept');
  for (const [a, b] of [
    ['', 'x'],
    ['x', ''],
    ['same', 'same'],
    ['aXa', 'aa'],
    ['aa', 'aXa'],
    ['abcabc', 'abc'],
    ['ab', 'ba'],
  ]) {
    const s = changedSpan(a, b);
    assert.equal(apply(a, s), b, `${a} → ${b}`);
    assert.ok(s.start <= s.end);
  }
  assert.deepEqual(changedSpan('same', 'same'), { start: 4, end: 4, text: '' });
});

test("a node's line is found however the JSON is spaced, and not at another id or a name that contains it", () => {
  const text =
    '{"format": "nnblocks.model/1", "name": "m", "input": {"shape": [2]},\n"model": {"id": "net", "op": "Sequential", "children": [\n  {"id": "fc10", "name": "fc1", "op": "Linear", "args": {"inFeatures": 2, "outFeatures": 2}},\n  {\n    "id"  :   "fc1", "op": "Linear", "args": {"inFeatures": 2, "outFeatures": 1}}]}}';
  const lineOf = idLocator(text, parseDocument(text));
  assert.equal(lineOf('net'), 2);
  assert.equal(lineOf('fc10'), 3);
  assert.equal(lineOf('fc1'), 5);
  assert.equal(lineOf('missing'), undefined);
});
