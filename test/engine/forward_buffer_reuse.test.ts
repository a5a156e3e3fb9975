// Under noGrad, Sequential and Graph modules hand their children's dead results back to the buffer pool
// (engine/buffer_pool.ts) and later ops reuse them. These check what must stay true: the result and the
// input of a forward are never reused (a later forward leaves them as they were), values that share memory
// (Flatten's view, Identity's same tensor) are not reused while one of them is read, a residual input read
// twice survives its first reader, and the recycled forward computes what the forward with autograd does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualSeed, nn, noGrad, randn, Tensor } from '../../engine';
import { buildModel } from '../../engine/graph';
import { GraphModule } from '../../engine/graph/build';
import { keepsNoValues } from '../../engine/nn/engine_forwards';
import { loadDoc } from '../graph/helpers';

const snapshot = (t: Tensor) => Float32Array.from(t.data);

function assertClose(got: Float32Array, want: Float32Array, tol: number, what: string): void {
  assert.equal(got.length, want.length, what);
  for (let i = 0; i < got.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= tol * Math.max(1, Math.abs(want[i])))) assert.fail(`${what}: value ${i} is ${got[i]}, expected ${want[i]}`);
  }
}

test('resnet_mini under noGrad: results and inputs survive later forwards, and match the forward with autograd', () => {
  manualSeed(3);
  const net = buildModel(loadDoc('resnet_mini.nnb.json')).eval();
  // Running statistics away from (0, 1), so batch norm's affine map is not the identity.
  for (const [name, b] of net.namedBuffers()) {
    if (name.endsWith('running_mean')) b.data.set(randn([b.data.length]).data.map((v) => 0.2 * v));
    if (name.endsWith('running_var')) b.data.set(randn([b.data.length]).data.map((v) => 0.5 + 0.1 * Math.abs(v)));
  }
  const x1 = randn([3, 3, 32, 32]);
  const x2 = randn([3, 3, 32, 32]);
  const x1Before = snapshot(x1);
  const withGrad = snapshot(net.forward(x1));
  const out1 = noGrad(() => net.forward(x1));
  const out1Before = snapshot(out1);
  const out2 = noGrad(() => net.forward(x2));
  const out3 = noGrad(() => net.forward(x1));
  assert.deepEqual(snapshot(out1), out1Before, 'a later forward overwrote an earlier result');
  assert.deepEqual(snapshot(x1), x1Before, 'the forward wrote into its input');
  assert.deepEqual(snapshot(out3), out1Before, 'the same input gave a different result the second time');
  assert.notDeepEqual(snapshot(out2), out1Before);
  assertClose(out1Before, withGrad, 1e-5, 'noGrad forward against the forward with autograd');
});

test('a Sequential of views and pass-throughs under noGrad reuses nothing that is still read', () => {
  manualSeed(4);
  const conv = new nn.Conv2d(2, 3, 3, { padding: 1 });
  // Flatten and Unflatten return views of their input, Identity the input itself; the ReLUs' results
  // and the convolution's are recyclable.
  const net = new nn.Sequential(conv, new nn.Flatten(), new nn.Identity(), new nn.ReLU(), new nn.Unflatten(1, [3, 5, 5]), new nn.Identity());
  const x = randn([4, 2, 5, 5]);
  const xBefore = snapshot(x);
  const want = snapshot(net.forward(x));
  const outs = [0, 1, 2].map(() => noGrad(() => net.forward(x)));
  const first = snapshot(outs[0]);
  assertClose(first, want, 0, 'noGrad against autograd');
  for (const o of outs) assert.deepEqual(snapshot(o), first);
  assert.deepEqual(snapshot(x), xBefore);
  // An identity chain hands its input straight back: it must still be the input, untouched.
  const same = new nn.Sequential(new nn.Identity(), new nn.Flatten(), new nn.Identity());
  const y = noGrad(() => same.forward(x));
  assert.deepEqual(Array.from(y.data), Array.from(xBefore));
  noGrad(() => net.forward(randn([4, 2, 5, 5])));
  assert.deepEqual(snapshot(x), xBefore);
});

test("a user's module that keeps what it saw, inside a Sequential or a Graph, keeps it intact across later noGrad forwards", () => {
  manualSeed(5);
  const seen: Tensor[] = [];
  // Keeps its input and its result, as a module collecting activations for a plot would.
  class Collect extends nn.Module {
    override forward(x: Tensor): Tensor {
      const y = nn.functional.relu(x);
      seen.push(x, y);
      return y;
    }
  }
  // A subclass of an engine layer whose forward is its own counts as the user's too.
  class LoggedLinear extends nn.Linear {
    override forward(x: Tensor): Tensor {
      const y = super.forward(x);
      seen.push(y);
      return y;
    }
  }
  const net = new nn.Sequential(
    new nn.Linear(6, 8),
    new nn.ReLU(),
    new nn.Linear(8, 8),
    new Collect(),
    new nn.Linear(8, 8),
    new nn.Tanh(),
    new nn.Sequential(new LoggedLinear(8, 8), new nn.ReLU()),
    new nn.Linear(8, 3),
  );
  noGrad(() => net.forward(randn([4, 6])));
  const kept = seen.map(snapshot);
  for (let i = 0; i < 3; i++) noGrad(() => net.forward(randn([4, 6])));
  kept.forEach((want, i) => assert.deepEqual(snapshot(seen[i]), want, `value ${i} the user's modules kept was overwritten`));

  // The same inside a Graph model: one user layer put in place of a built one stops the graph recycling.
  const graph = buildModel(loadDoc('resnet_mini.nnb.json')).eval();
  // layer1_0 is a BasicBlock, a Graph: conv, batch norm, ReLU, conv, batch norm, add the input, ReLU;
  // the ReLU's result is recyclable once the second conv has read it.
  const block = [...graph.namedChildren()].find(([n]) => n === 'layer1_0')?.[1] as nn.Module;
  assert.ok(block instanceof GraphModule, 'resnet_mini.layer1_0 is a Graph');
  const relu1 = [...block.namedChildren()].find(([n]) => n === 'relu1')?.[1] as nn.Module;
  const keptByGraph: Tensor[] = [];
  const whenKept: Float32Array[] = [];
  class KeepOutput extends nn.Module {
    constructor(readonly inner: nn.Module) {
      super();
    }
    override forward(x: Tensor): Tensor {
      const y = this.inner.forward(x);
      keptByGraph.push(y);
      whenKept.push(snapshot(y));
      return y;
    }
  }
  block.addModule('relu1', new KeepOutput(relu1));
  for (let i = 0; i < 4; i++) noGrad(() => graph.forward(randn([2, 3, 32, 32])));
  keptByGraph.forEach((t, i) => assert.deepEqual(snapshot(t), whenKept[i], `forward ${i}: what the user layer kept was overwritten`));
});

test("the engine's layers, Sequentials and built models count as its own; a user's forward, anywhere below, does not", () => {
  class Mine extends nn.Module {
    override forward(x: Tensor): Tensor {
      return x;
    }
  }
  class MyLinear extends nn.Linear {
    override forward(x: Tensor): Tensor {
      return super.forward(x);
    }
  }
  assert.ok(keepsNoValues(new nn.Sequential(new nn.Conv2d(1, 2, 3), new nn.BatchNorm2d(2), new nn.ReLU(), new nn.Flatten())));
  assert.ok(keepsNoValues(buildModel(loadDoc('resnet_mini.nnb.json'))), 'a model built from a document');
  assert.ok(!keepsNoValues(new Mine()));
  assert.ok(!keepsNoValues(new MyLinear(2, 2)), 'a subclass with its own forward');
  assert.ok(!keepsNoValues(new nn.Sequential(new nn.Linear(2, 2), new nn.Sequential(new nn.ReLU(), new Mine()))), 'a user module two levels down');
  const patched = new nn.ReLU();
  patched.forward = (x: Tensor) => x;
  assert.ok(!keepsNoValues(patched), 'an instance given its own forward');
});
