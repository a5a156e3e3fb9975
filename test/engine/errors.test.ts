// Bad input fails with errors that name the problem: shapes, keys, values.
import test from 'node:test';
import assert from 'node:assert/strict';
import { functional as F, nn, tensor, zeros, ones, randn, stack, Tensor } from '../../engine';

test('op shape mismatches name both shapes', () => {
  assert.throws(() => zeros([2, 3]).add(zeros([4, 3])), /add: shapes \[2, 3\] and \[4, 3\] cannot be broadcast/);
  assert.throws(() => zeros([2, 3]).matmul(zeros([4, 5])), /matmul: shapes \[2, 3\] and \[4, 5\] cannot be multiplied \(3 columns vs 4 rows\)/);
  assert.throws(
    () => new nn.Linear(3, 2).forward(zeros([5, 4])),
    /input of shape \[5, 4\] does not fit weight \[2, 3\] \(expects 3 input features, got 4\)/,
  );
  assert.throws(
    () => F.linear(zeros([2, 3]), zeros([4, 3]), zeros([5])),
    /linear: bias of shape \[5\] does not match weight \[4, 3\] \(expects \[4\], one per output feature\)/,
  );
  assert.throws(() => zeros([6]).reshape(4, -1), /shape \[4, -1\] is invalid for a tensor of 6 values/);
  assert.throws(() => zeros([2, 2]).sum(2), /dimension 2 is out of range for a tensor of rank 2/);
  assert.throws(() => tensor([[1, 2], [3]]), /ragged nested list at values\[1\]: expected 2 entries, found 1/);
  assert.throws(
    () => stack([zeros([2, 3]), zeros([2, 3]), zeros([3, 2])], 1),
    /stack: tensors must have equal shapes, got \[2, 3\] at entry 0 and \[3, 2\] at entry 2/,
  );
  assert.throws(() => zeros([2, 3, 4]).matmul(zeros([3, 4, 5])), /matmul: batch dimensions of \[2, 3, 4\] and \[3, 4, 5\] must be equal/);
  assert.throws(
    () =>
      randn([3], { requiresGrad: true })
        .mul(2)
        .backward(ones([4])),
    /gradient shape \[4\] does not match tensor shape \[3\]/,
  );
});

test('losses check targets and explain the fix', () => {
  assert.throws(
    () => new nn.MSELoss().forward(zeros([4, 1]), zeros([4])),
    /input shape \[4, 1\] and target shape \[4\] differ \(same number of values: reshape the target/,
  );
  assert.throws(
    () => new nn.CrossEntropyLoss().forward(zeros([3, 2]), tensor([0, 1, 2])),
    /target 2 is 2, but class indices must be integers in \[0, 1\] for 2 classes/,
  );
  assert.throws(() => new nn.CrossEntropyLoss().forward(zeros([3, 2]), tensor([0, 1])), /one class index per sample, shape \[3\], got \[2\]/);
  assert.throws(() => new nn.BCELoss().forward(tensor([1.5]), tensor([1])), /must be probabilities in \[0, 1\], found 1.5/);
});

test('NaN in a loss is detectable', () => {
  const loss = new nn.MSELoss().forward(tensor([NaN, 1]), tensor([0, 1]));
  assert.equal(loss.isFinite(), false);
  assert.ok(Number.isNaN(loss.item()));
  assert.equal(new nn.MSELoss().forward(tensor([2, 1]), tensor([0, 1])).isFinite(), true);
  assert.equal(tensor([1, Infinity]).isFinite(), false);
});

test('loadStateDict reports every problem at once and loads nothing', () => {
  const net = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU(), new nn.Linear(3, 1));
  const before = net.stateDict()['0.weight'].data.slice();
  const bad: Record<string, Tensor> = {
    '0.weight': ones([3, 2]),
    '0.bias': ones([4]),
    '2.weight': ones([1, 3]),
    'extra.weight': ones([1]),
  };
  assert.throws(
    () => net.loadStateDict(bad),
    (e: Error) => {
      assert.match(e.message, /Error\(s\) in loading state_dict for Sequential/);
      assert.match(e.message, /size mismatch for 0\.bias: copying a param with shape \[4\], the shape in the current model is \[3\]/);
      assert.match(e.message, /Missing key\(s\) in state_dict: "2\.bias"/);
      assert.match(e.message, /Unexpected key\(s\) in state_dict: "extra\.weight"/);
      return true;
    },
  );
  assert.deepEqual(net.stateDict()['0.weight'].data, before, 'nothing was loaded');
  const partial = net.loadStateDict({ '0.weight': ones([3, 2]) }, false);
  assert.deepEqual(partial.missingKeys, ['0.bias', '2.weight', '2.bias']);
  assert.ok(net.get<nn.Linear>(0).weight.data.every((v) => v === 1));
});

test('loadStateDict names values that are not tensors, and restores buffers', () => {
  const net = new nn.Linear(2, 2);
  const before = net.weight.data.slice();
  const fromJson = {
    weight: [
      [1, 2],
      [3, 4],
    ],
    bias: ones([2]),
  } as unknown as Record<string, Tensor>;
  assert.throws(() => net.loadStateDict(fromJson), /value for weight is not a Tensor \(got an array\)/);
  assert.deepEqual(net.weight.data, before);
  // A key that exists only on Object.prototype is still missing.
  assert.throws(
    () => net.loadStateDict({ bias: ones([2]), constructor: ones([1]) } as unknown as Record<string, Tensor>),
    /Missing key\(s\) in state_dict: "weight"\.\n {2}Unexpected key\(s\) in state_dict: "constructor"/,
  );

  class WithBuffer extends nn.Module {
    lin = new nn.Linear(2, 2);
    constructor() {
      super();
      this.registerBuffer('scale', ones([2]));
      this.registerBuffer('scratch', zeros([2]), false);
    }
    forward(x: Tensor): Tensor {
      return this.lin.forward(x).mul((this as unknown as { scale: Tensor }).scale);
    }
  }
  const a = new WithBuffer();
  (a as unknown as { scale: Tensor }).scale.data.set([2, 3]);
  const b = new WithBuffer();
  assert.deepEqual(Object.keys(b.stateDict()), ['scale', 'lin.weight', 'lin.bias'], 'a non-persistent buffer is not saved');
  assert.deepEqual(
    a.namedBuffers().map(([n]) => n),
    ['scale', 'scratch'],
  );
  b.loadStateDict(a.stateDict());
  assert.deepEqual([...(b as unknown as { scale: Tensor }).scale.data], [2, 3]);
  const x = randn([3, 2]);
  assert.deepEqual(b.forward(x).data, a.forward(x).data);
  assert.deepEqual(b.parameters().length, 2, 'buffers are not parameters');
});

test('loadStateDict round trip reproduces outputs', () => {
  const a = new nn.Sequential(new nn.Linear(4, 8), new nn.Tanh(), new nn.Linear(8, 2));
  const b = new nn.Sequential(new nn.Linear(4, 8), new nn.Tanh(), new nn.Linear(8, 2));
  const x = randn([5, 4]);
  assert.notDeepEqual(a.forward(x).data, b.forward(x).data);
  b.loadStateDict(a.stateDict());
  assert.deepEqual(a.forward(x).data, b.forward(x).data);
});

test('assigning a plain tensor to a parameter slot is refused', () => {
  const l = new nn.Linear(2, 2);
  assert.throws(() => {
    (l as unknown as { weight: Tensor }).weight = zeros([2, 2]);
  }, /cannot assign a plain Tensor as parameter 'weight'/);
  l.bias = null;
  assert.deepEqual(Object.keys(l.stateDict()), ['weight']);
});

test('backward needs a scalar or an explicit gradient, and runs once', () => {
  const x = randn([3], { requiresGrad: true });
  const y = x.mul(2);
  assert.throws(() => y.backward(), /only for a one-element output, this one has shape \[3\]/);
  const s = x.pow(2).sum();
  s.backward();
  assert.throws(() => s.backward(), /backward through the graph a second time/);
  const z = x.pow(2).sum();
  z.backward(undefined, { retainGraph: true });
  z.backward();
  assert.ok(x.grad !== null);
});
