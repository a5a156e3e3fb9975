// The built-in set of the spiral tutorial is named for what its plot shows, the eight-petal flower
// (issue 14, item 9); documents in the wild that say "spiral" still read, as the same points.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadData, type TensorData } from '../../engine/train/sources';
import { BUILTIN_NAMES, TrainingSchema, builtinName } from '../../engine/graph/training';
import { generatePyTorch, parseDocument } from '../../engine/graph';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');

test('the form offers flower, not spiral; "spiral" still validates and means flower', () => {
  assert.deepEqual([...BUILTIN_NAMES], ['flower', 'moons', 'quadratic']);
  assert.equal(builtinName('spiral'), 'flower');
  const old = TrainingSchema.safeParse({
    data: { kind: 'builtin', name: 'spiral' },
    loss: 'MSELoss',
    optimizer: { type: 'SGD', lr: 0.1 },
    epochs: 1,
  });
  assert.ok(old.success, JSON.stringify(old));
});

test('"spiral" and "flower" load the same 400 points', async () => {
  const [a, b] = (await Promise.all(
    ['spiral', 'flower'].map((name) => loadData({ kind: 'builtin', name } as never, EXAMPLES, 0, [2])),
  )) as TensorData[];
  assert.deepEqual(a.x.shape, [400, 2]);
  assert.deepEqual(Array.from(a.x.data), Array.from(b.x.data));
  assert.deepEqual(Array.from(a.y.data), Array.from(b.y.data));
});

test('the example names the flower and keeps the tutorial name in its description; old documents generate the same Python', () => {
  const doc = parseDocument(JSON.parse(readFileSync(path.join(EXAMPLES, 'flower.nnb.json'), 'utf8')));
  assert.deepEqual(doc.training?.data, { kind: 'builtin', name: 'flower' });
  assert.match(doc.description ?? '', /flower.*"spiral" tutorial/);
  const old = { ...doc, training: { ...doc.training!, data: { kind: 'builtin' as const, name: 'spiral' as const } } };
  // The same code, but for the docstring that names the set as the document wrote it.
  assert.equal(generatePyTorch(old, { training: true }).replace("built-in 'spiral'", "built-in 'flower'"), generatePyTorch(doc, { training: true }));
  assert.match(generatePyTorch(doc, { training: true }), /np\.sin\(4 \* t\)/);
});
