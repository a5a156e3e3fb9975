// The image layers on the document side (issue 11): shapes of the examples on every edge, the errors a
// user can act on (channel counts, kernels larger than their padded input, outputs of size 0, bad
// int-or-pair values), and each catalogue entry's parameters and buffers against the engine module
// buildModel makes for it (PyTorch's state-dict keys and shapes).
import test from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument, buildModel, parseDocument, LAYERS, type ModelDocument } from '../../engine/graph';
import { resolvedArgs } from '../../engine/graph/catalogue';
import { isLayer, isSequential } from '../../engine/graph/nodes';
import { loadCases, loadDoc } from './helpers';

const seq = (children: unknown[], input: number[]): ModelDocument =>
  parseDocument({ format: 'nnblocks.model/1', name: 'm', input: { shape: input }, model: { id: 'net', op: 'Sequential', children } });
const errorsOn = (doc: ModelDocument, id: string) =>
  analyzeDocument(doc)
    .diagnostics.filter((d) => d.id === id && d.severity === 'error')
    .map((d) => d.message);
const errorOn = (doc: ModelDocument, id: string, pattern: RegExp) => {
  const all = errorsOn(doc, id);
  assert.ok(
    all.some((m) => pattern.test(m)),
    `no error on ${id} matching ${pattern}: ${JSON.stringify(all)}`,
  );
};
const conv = (id: string, args: Record<string, unknown>) => ({ id, op: 'Conv2d', args });

test('LeNet-5, the BatchNorm CNN and the mini ResNet: shapes on the way, parameter counts as PyTorch counts them', () => {
  const lenet = analyzeDocument(loadDoc('lenet5.nnb.json'));
  assert.deepEqual(lenet.diagnostics, []);
  assert.deepEqual(lenet.nodeShapes.conv1, ['N', 6, 28, 28]);
  assert.deepEqual(lenet.nodeShapes.pool1, ['N', 6, 14, 14]);
  assert.deepEqual(lenet.nodeShapes.conv2, ['N', 16, 10, 10]);
  assert.deepEqual(lenet.nodeShapes.flatten, ['N', 400]);
  assert.deepEqual(lenet.edgeShapes['input->conv1'], ['N', 1, 28, 28]);
  // 6·1·5·5 + 6, 16·6·5·5 + 16, 400·120 + 120, 120·84 + 84, 84·10 + 10: sum(p.numel()) in PyTorch.
  assert.equal(lenet.totalParams, 156 + 2416 + 48120 + 10164 + 850);
  const cnn = analyzeDocument(loadDoc('cnn_bn.nnb.json'));
  assert.deepEqual(cnn.nodeShapes.stage2, ['N', 32, 7, 7]);
  // BatchNorm's running statistics are buffers, not parameters.
  assert.equal(cnn.params.s1_bn, 32);
  const resnet = analyzeDocument(loadDoc('resnet_mini.nnb.json'));
  assert.deepEqual(resnet.diagnostics, []);
  assert.deepEqual(resnet.nodeShapes.layer2_0, ['N', 32, 16, 16]);
  assert.deepEqual(resnet.nodeShapes.pool, ['N', 32, 1, 1]);
  assert.deepEqual(resnet.outputShape, ['N', 10]);
  const built = buildModel(loadDoc('resnet_mini.nnb.json'));
  assert.equal(
    resnet.totalParams,
    built.parameters().reduce((s, p) => s + p.size, 0),
  );
});

test('shape errors name the problem: channels, kernel against padded input, size 0, layout, groups', () => {
  errorOn(
    seq([conv('c', { inChannels: 3, outChannels: 8, kernelSize: 3 })], [1, 28, 28]),
    'c',
    /expects 3 input channels but receives 1 \(input shape \[N, 1, 28, 28\]\)/,
  );
  errorOn(
    seq([conv('c', { inChannels: 1, outChannels: 8, kernelSize: 5 })], [1, 3, 3]),
    'c',
    /kernel 5 is larger than the padded input along H \(3 \+ 2·0 = 3\): the output would have size 0/,
  );
  errorOn(
    seq([conv('c', { inChannels: 1, outChannels: 8, kernelSize: [1, 3], dilation: 2 })], [1, 8, 4]),
    'c',
    /kernel 3 \(dilated to 5\) is larger than the padded input along W \(4 \+ 2·0 = 4\)/,
  );
  errorOn(seq([{ id: 'p', op: 'MaxPool2d', args: { kernelSize: 4 } }], [2, 3, 3]), 'p', /kernel 4 is larger than the padded input along H/);
  errorOn(
    seq([{ id: 'p', op: 'MaxPool2d', args: { kernelSize: 2, padding: 2 } }], [2, 8, 8]),
    'p',
    /padding 2 must be at most half the kernel size 2/,
  );
  errorOn(seq([conv('c', { inChannels: 1, outChannels: 8, kernelSize: 3 })], [784]), 'c', /Conv2d takes \[N, C, H, W\] input, got \[N, 784\]/);
  errorOn(
    seq([conv('c', { inChannels: 1, outChannels: 8, kernelSize: 3 })], [28, 28]),
    'c',
    /set the input shape to \[C, \.\.\.\] with the channels first/,
  );
  errorOn(
    seq([conv('c', { inChannels: 4, outChannels: 6, kernelSize: 3, groups: 4 })], [4, 8, 8]),
    'c',
    /groups 4 must divide both inChannels 4 and outChannels 6/,
  );
  errorOn(
    seq([conv('c', { inChannels: 1, outChannels: 2, kernelSize: 3, padding: 'same', stride: 2 })], [1, 8, 8]),
    'c',
    /padding 'same' needs stride 1/,
  );
  errorOn(
    seq([{ id: 't', op: 'ConvTranspose2d', args: { inChannels: 1, outChannels: 1, kernelSize: 1, padding: 1 } }], [1, 1, 1]),
    't',
    /the output would have size -1 along H/,
  );
  errorOn(seq([{ id: 'b', op: 'BatchNorm2d', args: { numFeatures: 16 } }], [8, 4, 4]), 'b', /expects 16 channels but receives 8/);
  errorOn(seq([{ id: 'b', op: 'BatchNorm2d', args: { numFeatures: 8 } }], [8]), 'b', /BatchNorm2d takes \[N, C, H, W\] input, got \[N, 8\]/);
  errorOn(seq([{ id: 'g', op: 'GroupNorm', args: { numGroups: 3, numChannels: 8 } }], [8, 2]), 'g', /numChannels 8 is not divisible by numGroups 3/);
  errorOn(
    seq([{ id: 'l', op: 'LayerNorm', args: { normalizedShape: [4, 4] } }], [3, 4, 5]),
    'l',
    /normalises over the last dimensions \[4, 4\], but the input is \[N, 3, 4, 5\]/,
  );
  errorOn(
    seq([{ id: 'u', op: 'Unflatten', args: { unflattenedSize: [2, 5] } }], [12]),
    'u',
    /cannot split dimension 1 of size 12 into \[2, 5\] \(10 values\)/,
  );
  errorOn(seq([{ id: 'u', op: 'Upsample', args: {} }], [1, 4, 4]), 'u', /give exactly one of size and scaleFactor/);
  errorOn(
    seq([{ id: 'u', op: 'Upsample', args: { scaleFactor: 2, alignCorners: true } }], [1, 4, 4]),
    'u',
    /alignCorners applies to mode 'bilinear' only/,
  );
  errorOn(seq([{ id: 'a', op: 'PReLU', args: { numParameters: 3 } }], [4, 2, 2]), 'a', /has 3 slopes, one per channel, but receives 4 channels/);
});

test('int-or-pair arguments: a number, a [h, w] pair, or for padding also same and valid; anything else is refused', () => {
  const ok = (args: Record<string, unknown>, input: number[]) => analyzeDocument(seq([conv('c', { inChannels: 1, outChannels: 2, ...args })], input));
  assert.deepEqual(ok({ kernelSize: [3, 5], stride: [1, 2], padding: [1, 2] }, [1, 9, 9]).nodeShapes.c, ['N', 2, 9, 5]);
  assert.deepEqual(ok({ kernelSize: 4, padding: 'same' }, [1, 7, 6]).nodeShapes.c, ['N', 2, 7, 6]);
  assert.deepEqual(ok({ kernelSize: 4, padding: 'valid' }, [1, 7, 6]).nodeShapes.c, ['N', 2, 4, 3]);
  errorOn(
    seq([conv('c', { inChannels: 1, outChannels: 2, kernelSize: [3, 3, 3] })], [1, 9, 9]),
    'c',
    /argument "kernelSize" must be an integer or a list of 2 integers, got \[3,3,3\]/,
  );
  errorOn(
    seq([conv('c', { inChannels: 1, outChannels: 2, kernelSize: 3, padding: 'full' })], [1, 9, 9]),
    'c',
    /argument "padding" must be an integer or a list of 2 integers, or 'same' or 'valid', got "full"/,
  );
  errorOn(
    seq([conv('c', { inChannels: 1, outChannels: 2, kernelSize: [3, 0] })], [1, 9, 9]),
    'c',
    /every entry of argument "kernelSize" must be >= 1, got 0/,
  );
  errorOn(
    seq([{ id: 'c', op: 'Conv1d', args: { inChannels: 1, outChannels: 2, kernelSize: [3] } }], [1, 9]),
    'c',
    /argument "kernelSize" must be an integer, got \[3\]/,
  );
});

test("every layer's parameters and buffers are the engine module's state dict, under PyTorch's keys and shapes", () => {
  const fixture = loadCases().find((c) => c.doc.name === 'image_layers');
  assert.ok(fixture);
  const model = buildModel(fixture.doc);
  const state = model.stateDict();
  const nodes = isSequential(fixture.doc.model) ? fixture.doc.model.children : [];
  const covered = new Set<string>();
  nodes.forEach((n, i) => {
    if (!isLayer(n)) return;
    const spec = LAYERS.find((l) => l.op === n.op);
    assert.ok(spec, n.op);
    covered.add(n.op);
    const a = resolvedArgs(spec, n.args);
    const want = [...spec.params(a), ...spec.buffers(a)].map(([k, shape]) => [`${i}.${k}`, shape]);
    const got = Object.entries(state)
      .filter(([k]) => k.startsWith(`${i}.`))
      .map(([k, t]) => [k, [...t.shape]]);
    assert.deepEqual(got, want, `${n.id} (${n.op})`);
  });
  // The fixture holds every image layer of issue 11.
  for (const op of [
    'Conv1d',
    'Conv2d',
    'ConvTranspose2d',
    'MaxPool1d',
    'MaxPool2d',
    'AvgPool2d',
    'AdaptiveAvgPool2d',
    'AdaptiveMaxPool2d',
    'BatchNorm1d',
    'BatchNorm2d',
    'LayerNorm',
    'GroupNorm',
    'Dropout2d',
    'Unflatten',
    'Upsample',
    'ZeroPad2d',
    'SiLU',
    'ELU',
    'Softplus',
    'Hardswish',
    'Mish',
    'PReLU',
    'ReLU6',
  ]) {
    assert.ok(covered.has(op), op);
  }
});
