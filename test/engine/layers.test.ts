// The layer modules one by one: what they compute, what flows back, how they print, and the container API.
import test from 'node:test';
import assert from 'node:assert/strict';
import { manualSeed, nn, noGrad, ones, rand, randn, tensor, Tensor } from '../../engine';

test('Step: 1 where x >= 0, else 0, and a zero (not a missing) gradient for the layers below it', () => {
  const step = new nn.Step();
  assert.deepEqual([...step.forward(tensor([-2, -1e-7, 0, 1e-7, 3])).data], [0, 0, 1, 1, 1]);
  manualSeed(0);
  const first = new nn.Linear(3, 4);
  const last = new nn.Linear(4, 1);
  const net = new nn.Sequential(first, step, last);
  new nn.MSELoss().forward(net.forward(randn([5, 3])), randn([5, 1])).backward();
  assert.ok(first.weight.grad !== null && first.bias!.grad !== null, 'the layer below the step got a gradient');
  assert.ok(first.weight.grad.data.every((v) => v === 0) && first.bias!.grad!.data.every((v) => v === 0));
  assert.ok(
    last.weight.grad!.data.some((v) => v !== 0),
    'the layer above the step trains',
  );
});

test('Flatten keeps the batch dimension by default; Identity returns its input', () => {
  const x = rand([2, 3, 4]);
  assert.deepEqual(new nn.Flatten().forward(x).shape, [2, 12]);
  assert.deepEqual(new nn.Flatten(0).forward(x).shape, [24]);
  assert.deepEqual(new nn.Flatten(1, 1).forward(x).shape, [2, 3, 4]);
  assert.deepEqual([...new nn.Flatten().forward(x).data], [...x.data], 'row-major order is kept');
  assert.equal(new nn.Identity().forward(x), x);
});

test('Dropout zeroes about p of the values and scales the rest by 1/(1-p) while training', () => {
  manualSeed(1);
  const d = new nn.Dropout(0.25);
  const y = d.forward(ones([100, 100]));
  const zeros = y.data.filter((v) => v === 0).length;
  assert.ok(Math.abs(zeros / 10000 - 0.25) < 0.02, `${zeros} zeros`);
  assert.ok(y.data.every((v) => v === 0 || Math.abs(v - 4 / 3) < 1e-6));
  assert.deepEqual([...new nn.Dropout(1).forward(ones([5])).data], [0, 0, 0, 0, 0]);
  d.eval();
  const x = rand([3, 3]);
  assert.equal(d.forward(x), x, 'the identity in eval mode');
});

test('layers print their arguments as PyTorch does', () => {
  const net = new nn.Sequential(
    new nn.Linear(2, 3, { bias: false }),
    new nn.LeakyReLU(0.2),
    new nn.GELU(),
    new nn.Softmax(1),
    new nn.LogSoftmax(-1),
    new nn.Flatten(),
    new nn.Identity(),
    new nn.Dropout(0.3),
    new nn.Sigmoid(),
    new nn.Tanh(),
    new nn.ReLU(),
    new nn.Step(),
  );
  assert.equal(
    net.toString(),
    `Sequential(
  (0): Linear(in_features=2, out_features=3, bias=False)
  (1): LeakyReLU(negative_slope=0.2)
  (2): GELU(approximate='none')
  (3): Softmax(dim=1)
  (4): LogSoftmax(dim=-1)
  (5): Flatten(start_dim=1, end_dim=-1)
  (6): Identity()
  (7): Dropout(p=0.3, inplace=False)
  (8): Sigmoid()
  (9): Tanh()
  (10): ReLU()
  (11): Step()
)`,
  );
});

test('Sequential: append, named children, namedModules and children', () => {
  const inner = new nn.Sequential(new nn.Linear(2, 2), new nn.ReLU());
  const net = new nn.Sequential(inner);
  net.append(new nn.Linear(2, 1)).addModule('out act', new nn.Sigmoid());
  assert.equal(net.length, 3);
  assert.deepEqual(
    net.namedModules().map(([n, m]) => `${n}:${m.constructor.name}`),
    [':Sequential', '0:Sequential', '0.0:Linear', '0.1:ReLU', '1:Linear', 'out act:Sigmoid'],
  );
  assert.deepEqual(
    net.children().map((m) => m.constructor.name),
    ['Sequential', 'Linear', 'Sigmoid'],
  );
  assert.deepEqual(Object.keys(net.stateDict()), ['0.0.weight', '0.0.bias', '1.weight', '1.bias']);
  const y = net.forward(rand([4, 2]));
  assert.ok(
    y.data.every((v) => v > 0 && v < 1),
    'the named child runs last',
  );
  assert.throws(() => net.addModule('a.b', new nn.ReLU()), /must be non-empty and contain no '\.'/);
});

test('detach shares storage and leaves the graph; noGrad records nothing', () => {
  const x = randn([3], { requiresGrad: true });
  const d = x.detach();
  assert.equal(d.requiresGrad, false);
  d.data[0] = 42;
  assert.equal(x.data[0], 42, 'same storage, as in PyTorch');
  const y = noGrad(() => x.mul(2).sum());
  assert.equal(y.requiresGrad, false);
  assert.throws(() => y.backward(), /does not require grad/);
  const z: Tensor = x.mul(d).sum();
  z.backward();
  assert.deepEqual([...x.grad!.data], [...d.data], 'd is a constant: only the x factor is differentiated');
});
