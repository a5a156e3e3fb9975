import test from 'node:test';
import assert from 'node:assert/strict';
import { buildModel, parseDocument, ModelBuildError, type SequentialNode } from '../../engine/graph';
import { nn, tensor, noGrad } from '../../engine';
import { loadCases, loadDoc, reference, FIXTURES } from './helpers';
import { initProblems } from './init_stats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

test('state-dict keys follow PyTorch naming for each structure', () => {
  const keys = (f: string) => Object.keys(buildModel(loadDoc(f)).stateDict());
  assert.deepEqual(keys('flower.nnb.json'), ['0.weight', '0.bias', '2.weight', '2.bias']);
  assert.deepEqual(keys('mlp_28x28.nnb.json'), ['1.weight', '1.bias', '3.weight', '3.bias', '5.weight', '5.bias']);
  assert.deepEqual(keys('nest_mlp.nnb.json'), ['net.0.weight', 'net.0.bias', 'net.2.weight', 'net.2.bias', 'linear.weight', 'linear.bias']);
  const nested = keys('nested_blocks.nnb.json');
  assert.equal(nested.length, 18);
  assert.equal(nested[0], '0.block 0.0.weight');
  assert.equal(nested[15], '0.block 3.2.bias');
  assert.deepEqual(nested.slice(-2), ['1.weight', '1.bias']);
  // A shared layer appears under each of its places, as in PyTorch.
  assert.deepEqual(keys('shared_weights.nnb.json'), ['0.weight', '0.bias', '2.weight', '2.bias', '4.weight', '4.bias', '6.weight', '6.bias']);
});

test('shared weights are one instance; block instances each have their own', () => {
  const shared = buildModel(loadDoc('shared_weights.nnb.json')) as nn.Sequential;
  assert.equal(shared.get(2), shared.get(4));
  assert.equal(shared.namedParameters().length, 6);
  const blocks = buildModel(loadDoc('nested_blocks.nnb.json'));
  const sd = blocks.stateDict();
  assert.notDeepEqual(Array.from(sd['0.block 0.0.weight'].data), Array.from(sd['0.block 1.0.weight'].data));
  assert.equal(blocks.namedParameters().length, 18);
});

test('per-layer init and bias=false are applied', () => {
  const doc = parseDocument({
    format: 'nnblocks.model/1',
    name: 'm',
    input: { shape: [3] },
    model: {
      id: 'net',
      op: 'Sequential',
      children: [
        {
          id: 'a',
          op: 'Linear',
          args: { inFeatures: 3, outFeatures: 2 },
          init: { weight: { kind: 'constant', value: 0.5 }, bias: { kind: 'zeros' } },
        },
        { id: 'b', op: 'Linear', args: { inFeatures: 2, outFeatures: 1, bias: false }, init: { weight: { kind: 'ones' } } },
      ],
    },
  });
  const m = buildModel(doc);
  assert.deepEqual(Object.keys(m.stateDict()), ['0.weight', '0.bias', '1.weight']);
  const y = noGrad(() => m.forward(tensor([[1, 2, 3]])));
  assert.deepEqual(Array.from(y.data), [6]);
});

test('a two-branch Graph computes layer1(x) + layer2(x) through its head', () => {
  const doc = loadDoc('two_branch.nnb.json');
  const { model, x, y } = reference(doc);
  const m = model as unknown as Record<string, nn.Module>;
  const manual = noGrad(() => m.head.forward(m.layer1.forward(x).add(m.layer2.forward(x))));
  assert.deepEqual(Array.from(y.data), Array.from(manual.data));
  assert.equal(model.constructor.name, 'TwoBranch');
});

test('every document builds and runs on a batch', () => {
  for (const c of loadCases()) {
    const { y } = reference(c.doc, 3);
    assert.equal(y.shape[0], 3, c.file);
    assert.ok(Array.from(y.data).every(Number.isFinite), c.file);
  }
});

test('buildModel refuses a model with errors, naming them', () => {
  const doc = parseDocument({
    format: 'nnblocks.model/1',
    name: 'm',
    input: { shape: [2] },
    model: { id: 'fc', op: 'Linear', args: { inFeatures: 3, outFeatures: 1 } },
  });
  assert.throws(
    () => buildModel(doc),
    (e: unknown) => e instanceof ModelBuildError && /fc: .*expects 3 input features but receives 2/.test((e as Error).message),
  );
});

test('every init kind of the document is applied by buildModel (values, bounds, spread)', () => {
  const doc = parseDocument(readFileSync(join(FIXTURES, 'inits.nnb.json'), 'utf8'));
  const sd = buildModel(doc).stateDict();
  assert.deepEqual(initProblems(doc, Object.fromEntries(Object.entries(sd).map(([k, t]) => [k, t.data]))), []);
  // The check can fail: a layer left at its default init is not the document's normal(0.5, 0.2).
  const plain = buildModel(
    parseDocument({ ...doc, model: { ...doc.model, children: (doc.model as SequentialNode).children.map((c) => ({ ...c, init: undefined })) } }),
  ).stateDict();
  assert.ok(
    initProblems(doc, { '0.weight': plain['0.weight'].data, '0.bias': plain['0.bias'].data }).some((p) =>
      /0\.weight: expected normal\(mean 0\.5/.test(p),
    ),
  );
});
