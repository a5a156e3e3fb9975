// The seeds' (PyTorch tutorials') models, written the PyTorch way with the engine.
import test from 'node:test';
import assert from 'node:assert/strict';
import { manualSeed, nn, init, rand, randn, tensor, Tensor, optim } from '../../engine';
import { assertClose } from '../helpers/gradcheck';

class MLP extends nn.Module {
  hidden = new nn.Linear(20, 256);
  out = new nn.Linear(256, 10);
  forward(x: Tensor): Tensor {
    return this.out.forward(this.hidden.forward(x).relu());
  }
}

class FixedHiddenMLP extends nn.Module {
  linear: nn.Linear;
  constructor() {
    super();
    // A constant random weight: saved with the model, never trained.
    this.registerBuffer('randWeight', rand([20, 20]));
    this.linear = new nn.Linear(20, 20);
  }
  forward(x: Tensor): Tensor {
    const w = (this as unknown as { randWeight: Tensor }).randWeight;
    x = this.linear.forward(x);
    x = x.matmul(w).add(1).relu();
    x = this.linear.forward(x);
    // The tutorial's `while X.abs().sum() > 1`; TypeScript wants the unary plus (JavaScript does not).
    while (+x.abs().sum() > 1) x = x.div(2);
    return x.sum();
  }
}

class NestMLP extends nn.Module {
  net = new nn.Sequential(new nn.Linear(20, 64), new nn.ReLU(), new nn.Linear(64, 32), new nn.ReLU());
  linear = new nn.Linear(32, 16);
  forward(x: Tensor): Tensor {
    return this.linear.forward(this.net.forward(x));
  }
}

class CenteredLayer extends nn.Module {
  forward(x: Tensor): Tensor {
    return x.sub(x.mean());
  }
}

class MyLinear extends nn.Module {
  weight: nn.Parameter;
  bias: nn.Parameter;
  constructor(inUnits: number, units: number) {
    super();
    this.weight = new nn.Parameter(randn([inUnits, units]));
    this.bias = new nn.Parameter(randn([units]));
  }
  forward(x: Tensor): Tensor {
    return x.matmul(this.weight).add(this.bias).relu();
  }
}

function block1(): nn.Sequential {
  return new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 4), new nn.ReLU());
}

function block2(): nn.Sequential {
  const net = new nn.Sequential();
  for (let i = 0; i < 4; i++) net.addModule(`block ${i}`, block1());
  return net;
}

test('Module subclass registers layers assigned as properties, in order', () => {
  manualSeed(0);
  const net = new MLP();
  assert.deepEqual(
    net.namedParameters().map(([n, p]) => [n, p.shape]),
    [
      ['hidden.weight', [256, 20]],
      ['hidden.bias', [256]],
      ['out.weight', [10, 256]],
      ['out.bias', [10]],
    ],
  );
  const y = net.forward(rand([2, 20]));
  assert.deepEqual(y.shape, [2, 10]);
  assert.equal(
    net.toString(),
    'MLP(\n  (hidden): Linear(in_features=20, out_features=256, bias=True)\n  (out): Linear(in_features=256, out_features=10, bias=True)\n)',
  );
});

test('Sequential indexing, parameter access and state dict keys', () => {
  const net = new nn.Sequential(new nn.Linear(20, 256), new nn.ReLU(), new nn.Linear(256, 10));
  assert.equal(net.length, 3);
  const last = net.get<nn.Linear>(2);
  assert.ok(last.bias instanceof nn.Parameter);
  assert.deepEqual(Object.keys(last.stateDict()), ['weight', 'bias']);
  assert.deepEqual(Object.keys(net.stateDict()), ['0.weight', '0.bias', '2.weight', '2.bias']);
  assert.deepEqual([...net.stateDict()['2.bias'].data], [...last.bias!.data]);
  assert.equal(net.get(-1), last);
  assert.throws(() => net.get(3), /index 3 is out of range for a Sequential of 3 modules/);
  assert.deepEqual(
    [...net].map((m) => m.constructor.name),
    ['Linear', 'ReLU', 'Linear'],
  );
});

test('FixedHiddenMLP: a buffer is saved but not trained, and a while loop in forward works', () => {
  manualSeed(1);
  const net = new FixedHiddenMLP();
  assert.deepEqual(
    net.namedParameters().map(([n]) => n),
    ['linear.weight', 'linear.bias'],
  );
  assert.deepEqual(Object.keys(net.stateDict()), ['randWeight', 'linear.weight', 'linear.bias']);
  const out = net.forward(rand([2, 20]));
  assert.deepEqual(out.shape, []);
  assert.ok(Math.abs(out.item()) <= 1);
  out.backward();
  assert.ok(net.linear.weight.grad !== null);
});

test('Python-style control flow: a one-element tensor compares and converts as its number', () => {
  let x = tensor([3, -4]);
  let halvings = 0;
  // @ts-expect-error TypeScript refuses `>` on an object; plain JavaScript runs the tutorial's line as is.
  while (x.abs().sum() > 1) {
    x = x.div(2);
    halvings++;
  }
  assert.equal(halvings, 3, 'L1 norm 7 -> 3.5 -> 1.75 -> 0.875');
  assert.deepEqual([...x.data], [0.375, -0.5]);
  assert.equal(+tensor([[2.5]]), 2.5);
  assert.equal(Number(x.sum()), -0.125);
  assert.equal(Math.max(+x.max(), 0.1), 0.375);
  assert.throws(() => +x, /a tensor of shape \[2\] cannot be used as a number; only a one-element tensor can/);
  // Text contexts keep the printed form.
  assert.equal(`${x}`, 'tensor([0.3750, -0.5000])');
  assert.equal(String(tensor(1)), 'tensor(1.)');
  assert.equal('x = ' + x, 'x = tensor([0.3750, -0.5000])');
});

test('NestMLP and the chimera nest modules inside Sequentials', () => {
  manualSeed(2);
  const chimera = new nn.Sequential(new NestMLP(), new nn.Linear(16, 20), new FixedHiddenMLP());
  const out = chimera.forward(rand([2, 20]));
  assert.deepEqual(out.shape, []);
  assert.deepEqual(Object.keys(chimera.stateDict()), [
    '0.net.0.weight',
    '0.net.0.bias',
    '0.net.2.weight',
    '0.net.2.bias',
    '0.linear.weight',
    '0.linear.bias',
    '1.weight',
    '1.bias',
    '2.randWeight',
    '2.linear.weight',
    '2.linear.bias',
  ]);
});

test('nested block2() prints like PyTorch and has its keys', () => {
  const rgnet = new nn.Sequential(block2(), new nn.Linear(4, 1));
  const block = `Sequential(
      (0): Linear(in_features=4, out_features=8, bias=True)
      (1): ReLU()
      (2): Linear(in_features=8, out_features=4, bias=True)
      (3): ReLU()
    )`;
  const expected = `Sequential(
  (0): Sequential(
    (block 0): ${block}
    (block 1): ${block}
    (block 2): ${block}
    (block 3): ${block}
  )
  (1): Linear(in_features=4, out_features=1, bias=True)
)`;
  assert.equal(rgnet.toString(), expected);
  const keys = Object.keys(rgnet.stateDict());
  assert.equal(keys.length, 4 * 4 + 2);
  assert.equal(keys[0], '0.block 0.0.weight');
  assert.equal(keys[2], '0.block 0.2.weight');
  assert.equal(keys[16], '1.weight');
  // rgnet[0][1][0].bias
  const inner = rgnet.get<nn.Sequential>(0).get<nn.Sequential>(1).get<nn.Linear>(0);
  assert.equal(rgnet.getSubmodule('0.block 1.0'), inner);
  assert.deepEqual([...rgnet.stateDict()['0.block 1.0.bias'].data], [...inner.bias!.data]);
  assert.deepEqual(rgnet.forward(rand([3, 4])).shape, [3, 1]);
});

test('CenteredLayer and MyLinear custom layers', () => {
  const layer = new CenteredLayer();
  assert.deepEqual([...layer.forward(tensor([1, 2, 3, 4, 5])).data], [-2, -1, 0, 1, 2]);
  const net = new nn.Sequential(new nn.Linear(8, 128), new CenteredLayer());
  assert.ok(
    Math.abs(
      net
        .forward(rand([4, 8]))
        .mean()
        .item(),
    ) < 1e-6,
  );
  const dense = new MyLinear(5, 3);
  assert.deepEqual(dense.weight.shape, [5, 3]);
  const y = new nn.Sequential(new MyLinear(64, 8), new MyLinear(8, 1)).forward(rand([2, 64]));
  assert.deepEqual(y.shape, [2, 1]);
  assert.ok(y.data.every((v) => v >= 0));
});

test('shared layer: listed once as parameters, under both paths in the state dict, gradients summed, stays tied', () => {
  manualSeed(3);
  const shared = new nn.Linear(8, 8);
  const net = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), shared, new nn.ReLU(), shared, new nn.ReLU(), new nn.Linear(8, 1));
  assert.deepEqual(
    net.namedParameters().map(([n]) => n),
    ['0.weight', '0.bias', '2.weight', '2.bias', '6.weight', '6.bias'],
  );
  assert.deepEqual(Object.keys(net.stateDict()), ['0.weight', '0.bias', '2.weight', '2.bias', '4.weight', '4.bias', '6.weight', '6.bias']);
  net.get<nn.Linear>(2).weight.data[0] = 100;
  assert.equal(net.get<nn.Linear>(4).weight.data[0], 100);

  // The gradient of the shared weight is the sum of both uses: compare with an untied copy.
  manualSeed(4);
  const x = randn([5, 4]);
  const y = randn([5, 1]);
  const a = new nn.Linear(8, 8);
  const b = new nn.Linear(8, 8);
  b.loadStateDict(a.stateDict());
  const head = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU());
  const tail = new nn.Linear(8, 1);
  const tied = new nn.Sequential(head, a, new nn.ReLU(), a, new nn.ReLU(), tail);
  const untied = new nn.Sequential(head, a, new nn.ReLU(), b, new nn.ReLU(), tail);
  new nn.MSELoss().forward(tied.forward(x), y).backward();
  const gTied = a.weight.grad!.data.slice();
  tied.zeroGrad();
  new nn.MSELoss().forward(untied.forward(x), y).backward();
  const gSum = a.weight.grad!.data.map((v, i) => v + b.weight.grad!.data[i]);
  assertClose(gTied, gSum, 1e-6, 'shared gradient');

  // After training the two uses are still one layer.
  const opt = new optim.SGD(net.parameters(), { lr: 0.05 });
  for (let i = 0; i < 20; i++) {
    opt.zeroGrad();
    new nn.MSELoss().forward(net.forward(randn([8, 4])), randn([8, 1])).backward();
    opt.step();
  }
  assert.equal(net.get(2), net.get(4));
  assert.deepEqual([...net.stateDict()['2.weight'].data], [...net.stateDict()['4.weight'].data]);
});

test('MySequential: a Module that registers its blocks with addModule and runs them in order', () => {
  class MySequential extends nn.Module {
    constructor(...blocks: nn.Module[]) {
      super();
      blocks.forEach((b, i) => this.addModule(String(i), b));
    }
    forward(x: Tensor): Tensor {
      for (const block of this.children()) x = block.forward(x);
      return x;
    }
  }
  manualSeed(6);
  const net = new MySequential(new nn.Linear(20, 256), new nn.ReLU(), new nn.Linear(256, 10));
  const reference = new nn.Sequential(new nn.Linear(20, 256), new nn.ReLU(), new nn.Linear(256, 10));
  reference.loadStateDict(net.stateDict());
  const x = rand([2, 20]);
  assert.deepEqual(net.forward(x).data, reference.forward(x).data);
  assert.equal(net.toString().split('\n')[0], 'MySequential(');
});

test('my_init: uniform(-10, 10), then zero the small weights in place; direct writes to .data', () => {
  manualSeed(7);
  const net = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 1));
  net.apply((m) => {
    if (!(m instanceof nn.Linear)) return;
    init.uniform_(m.weight, -10, 10);
    // m.weight.data *= m.weight.data.abs() >= 5
    m.weight.data.set(m.weight.detach().mul(m.weight.detach().abs().ge(5)).data);
  });
  const w = net.get<nn.Linear>(0).weight.data;
  assert.ok(
    w.every((v) => v === 0 || (Math.abs(v) >= 5 && Math.abs(v) <= 10)),
    String(w),
  );
  assert.ok(w.some((v) => v === 0) && w.some((v) => v !== 0));
  // net[0].weight.data[:] += 1; net[0].weight.data[0, 0] = 42
  const before = w.slice();
  for (let i = 0; i < w.length; i++) w[i] += 1;
  w[0] = 42;
  assert.equal(net.stateDict()['0.weight'].data[0], 42, 'the state dict shares storage with the parameter');
  assert.equal(w[1], before[1] + 1);
});

test('apply runs init functions on every Linear, children first', () => {
  const net = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 1));
  const order: string[] = [];
  net.apply((m) => {
    order.push(m.constructor.name);
    if (m instanceof nn.Linear) {
      init.constant_(m.weight, 1);
      init.zeros_(m.bias!);
    }
  });
  assert.deepEqual(order, ['Linear', 'ReLU', 'Linear', 'Sequential']);
  assert.ok(net.get<nn.Linear>(0).weight.data.every((v) => v === 1));
  assert.ok(net.get<nn.Linear>(2).bias!.data.every((v) => v === 0));
});

test('train/eval switch Dropout recursively', () => {
  manualSeed(5);
  const net = new nn.Sequential(new nn.Linear(10, 10), new nn.Dropout(0.5));
  const x = rand([4, 10]);
  assert.ok(net.training);
  net.eval();
  assert.equal(net.get(1).training, false);
  const a = net.forward(x);
  const b = net.forward(x);
  assert.deepEqual([...a.data], [...b.data]);
  net.train();
  const c = net.forward(x);
  assert.ok(c.data.some((v) => v === 0));
});
