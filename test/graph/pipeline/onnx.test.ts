// ONNX export (engine/graph/onnx) read back by onnxruntime-node: for every document, the exported
// model's outputs equal the engine's (max abs diff <= 1e-5, 1e-4 with convolutions) at two batch sizes (the batch dimension is
// symbolic), a shared layer is stored once, and CUDA without its provider (or without CUDA itself)
// falls back or fails as asked.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';
import { toOnnxModel, ONNX_OPSET, documentFromModule } from '../../../engine/graph';
import { exportOnnx } from '../../../engine/graph/onnx/file';
import { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import {
  runOnnx,
  cudaProviderInstalled,
  chooseProviders,
  openSession,
  ProviderError,
  type CreateSession,
  type Provider,
} from '../../../engine/graph/onnx/run';
import { randn, noGrad, nn, manualSeed, type Tensor } from '../../../engine';
import { loadCases, loadDoc, reference, maxAbsDiff, inputNames, tolerance } from '../helpers';

const dir = mkdtempSync(join(tmpdir(), 'nnb-onnx-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('onnxruntime outputs equal the engine outputs for every document, at any batch size', async () => {
  for (const c of loadCases()) {
    const { model, xs, y } = reference(c.doc);
    const path = join(dir, `${c.doc.name}.onnx`);
    exportOnnx(c.doc, model.stateDict(), path);
    // One feed per model input, by the names the ONNX graph declares (a root Graph's own).
    const feeds = (ts: Tensor[]) => Object.fromEntries(inputNames(c.doc).map((n, i) => [n, { data: ts[i].data, shape: ts[i].shape }]));
    const r = await runOnnx(path, feeds(xs));
    assert.deepEqual(r.providers, ['cpu']);
    const out = r.outputs.output;
    assert.deepEqual(out.shape, y.shape, c.doc.name);
    assert.ok(maxAbsDiff(out.data, y.data) <= tolerance(c.doc), `${c.doc.name}: max diff ${maxAbsDiff(out.data, y.data)}`);
    const xs2 = xs.map(() => randn([2, ...c.doc.input.shape]));
    const y2 = noGrad(() => model.forward(...xs2));
    const out2 = (await runOnnx(path, feeds(xs2))).outputs.output;
    assert.ok(maxAbsDiff(out2.data, y2.data) <= tolerance(c.doc), `${c.doc.name} (batch 2): max diff ${maxAbsDiff(out2.data, y2.data)}`);
  }
});

test('the ONNX file: opset 17, symbolic batch, initializers named by state-dict key, a shared weight once', () => {
  const doc = loadDoc('shared_weights.nnb.json');
  const { model } = reference(doc);
  const path = join(dir, 'shared.onnx');
  exportOnnx(doc, model, path);
  const m = onnx.ModelProto.decode(readFileSync(path));
  assert.ok(ONNX_OPSET >= 17);
  assert.equal(Number(m.opsetImport[0].version), ONNX_OPSET);
  const graph = m.graph as onnx.GraphProto;
  assert.equal(graph.input[0].type?.tensorType?.shape?.dim?.[0].dimParam, 'N');
  assert.equal(graph.output[0].type?.tensorType?.shape?.dim?.[0].dimParam, 'N');
  assert.deepEqual(
    graph.initializer.map((t) => t.name),
    ['0.weight', '0.bias', '2.weight', '2.bias', '6.weight', '6.bias'],
  );
  const w = graph.initializer.find((t) => t.name === '2.weight')!;
  const stored = new Float32Array(new Uint8Array(w.rawData as Uint8Array).buffer);
  assert.deepEqual(Array.from(stored), Array.from(model.stateDict()['4.weight'].data));
  // The tied layer is used twice: two Gemm nodes read the one initializer.
  assert.equal(graph.node.filter((n) => (n.input ?? []).includes('2.weight')).length, 2);
});

test('export from a state dict checks it against the document', () => {
  const doc = loadDoc('flower.nnb.json');
  const sd = reference(doc).model.stateDict();
  delete sd['2.bias'];
  assert.throws(() => toOnnxModel(doc, sd), /Missing key\(s\) in state_dict: "2\.bias"/);
});

test("'cuda': on CUDA where its provider is installed, else a clear message and CPU fallback, or an error when fallback is off", async () => {
  const doc = loadDoc('flower.nnb.json');
  const { model, x, y } = reference(doc);
  const path = join(dir, 'spiral_cuda.onnx');
  exportOnnx(doc, model, path);
  const warnings: string[] = [];
  const r = await runOnnx(path, { data: x.data, shape: x.shape }, { executionProviders: 'cuda', warn: (m) => warnings.push(m) });
  assert.ok(maxAbsDiff(r.outputs.output.data, y.data) <= 1e-5);
  if (cudaProviderInstalled()) {
    // A machine with CUDA's provider: the request is honoured (or, if CUDA cannot start, said so).
    assert.ok(r.providers.includes('cuda') || /could not start its CUDA execution provider/.test(warnings[0] ?? ''), `${r.providers} ${warnings}`);
    return;
  }
  assert.deepEqual(r.providers, ['cpu']);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /CUDA execution provider is not installed.*running on cpu/);
  await assert.rejects(runOnnx(path, { data: x.data, shape: x.shape }, { executionProviders: ['cuda'], onMissingProvider: 'error' }), ProviderError);
});

test('provider choice: a missing CUDA provider is dropped with a warning, kept when installed, an error when asked', () => {
  const warnings: string[] = [];
  const warn = (m: string) => warnings.push(m);
  assert.deepEqual(chooseProviders({}, false), ['cpu']);
  assert.deepEqual(chooseProviders({ executionProviders: 'cuda' }, true), ['cuda']);
  assert.deepEqual(chooseProviders({ executionProviders: ['cuda', 'cpu'], warn }, false), ['cpu']);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /^onnxruntime's CUDA execution provider is not installed .*; running on cpu instead$/);
  assert.throws(
    () => chooseProviders({ executionProviders: 'cuda', onMissingProvider: 'error' }, false),
    (e: unknown) => e instanceof ProviderError && /not installed/.test((e as Error).message),
  );
  assert.throws(() => chooseProviders({ executionProviders: 'tpu' as never }, false), /unknown execution provider 'tpu'/);
});

test('a CUDA provider that is installed but cannot start falls back to CPU (or fails when fallback is off)', async () => {
  const doc = loadDoc('flower.nnb.json');
  const { model, x, y } = reference(doc);
  const path = join(dir, 'spiral_nocuda.onnx');
  exportOnnx(doc, model, path);
  // onnxruntime as it behaves where libonnxruntime_providers_cuda.so exists but libcudart does not.
  const asked: Provider[][] = [];
  const create: CreateSession = async (p, o) => {
    asked.push(o.executionProviders);
    if (o.executionProviders.includes('cuda'))
      throw new Error(
        'Failed to load library libonnxruntime_providers_cuda.so with error: libcudart.so.12: cannot open shared object file\nmore detail',
      );
    return InferenceSession.create(p, o);
  };
  const warnings: string[] = [];
  const { session, providers } = await openSession(create, path, ['cuda'], { warn: (m) => warnings.push(m) });
  assert.deepEqual(asked, [['cuda'], ['cpu']]);
  assert.deepEqual(providers, ['cpu']);
  assert.match(
    warnings[0],
    /could not start its CUDA execution provider \(Failed to load library .*libcudart\.so\.12: cannot open shared object file\); running on cpu instead/,
  );
  const out = await session.run({ [session.inputNames[0]]: new OrtTensor('float32', x.data, [...x.shape]) });
  assert.ok(maxAbsDiff(out.output.data as Float32Array, y.data) <= 1e-5);
  await session.release();
  await assert.rejects(
    openSession(create, path, ['cuda'], { onMissingProvider: 'error' }),
    (e: unknown) => e instanceof ProviderError && /libcudart/.test((e as Error).message),
  );
  // A broken model is not blamed on CUDA when only CPU was asked for.
  await assert.rejects(openSession(create, join(dir, 'missing.onnx'), ['cpu']), /missing\.onnx: onnxruntime cannot load the model/);
});

test('a model built in code exports like a document: its keys, its weights, a reused layer stored once', async () => {
  manualSeed(11);
  const shared = new nn.Linear(8, 8);
  const net = new nn.Sequential(new nn.Linear(4, 8), new nn.Tanh(), shared, new nn.ReLU(), shared);
  net.addModule('head', new nn.Sequential(new nn.Dropout(0.1), new nn.Linear(8, 2, { bias: false }), new nn.LogSoftmax(1)));
  net.eval();
  const doc = documentFromModule(net);
  assert.deepEqual(doc.input.shape, [4]);
  const children = (doc.model as { children: { op: string; ref?: string; name?: string }[] }).children;
  assert.deepEqual(
    children.map((c) => c.op),
    ['Linear', 'Tanh', 'Linear', 'ReLU', 'Shared', 'Sequential'],
  );
  assert.equal(children[5].name, 'head');
  const path = join(dir, 'coded.onnx');
  exportOnnx(net, null, path);
  const graph = onnx.ModelProto.decode(readFileSync(path)).graph as onnx.GraphProto;
  assert.deepEqual(
    graph.initializer.map((t) => t.name),
    ['0.weight', '0.bias', '2.weight', '2.bias', 'head.1.weight'],
  );
  const x = randn([3, 4]);
  const y = noGrad(() => net.forward(x));
  const r = await runOnnx(path, { data: x.data, shape: x.shape });
  assert.ok(maxAbsDiff(r.outputs.output.data, y.data) <= 1e-5);

  // A Flatten first hides the input size; a forward of its own is code, not a diagram.
  assert.throws(() => documentFromModule(new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 10))), /pass inputShape, e\.g\. \[1, 28, 28\]/);
  assert.deepEqual(
    documentFromModule(new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 10)), { inputShape: [1, 28, 28] }).input.shape,
    [1, 28, 28],
  );
  class Custom extends nn.Module {
    fc = new nn.Linear(2, 2);
    forward(t: Tensor): Tensor {
      return this.fc.forward(t).relu();
    }
  }
  assert.throws(
    () => exportOnnx(new nn.Sequential(new nn.Linear(2, 2), new Custom()), null, join(dir, 'custom.onnx')),
    /'1' is a Custom, whose forward is code/,
  );
});
