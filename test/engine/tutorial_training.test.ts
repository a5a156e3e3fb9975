// The tutorials' training runs, end to end on the engine: the numbers they reach are the acceptance bar.
import test from 'node:test';
import assert from 'node:assert/strict';
import { manualSeed, nn, noGrad, optim, Tensor, linspace } from '../../engine';
import { spiral, quadratic, TensorDataset, DataLoader } from '../../engine/data';

function trainFullBatch(net: nn.Module, x: Tensor, y: Tensor, lr: number, steps: number): number {
  const criterion = new nn.BCEWithLogitsLoss();
  const opt = new optim.SGD(net.parameters(), { lr });
  let loss = NaN;
  for (let e = 0; e < steps; e++) {
    const l = criterion.forward(net.forward(x), y);
    opt.zeroGrad();
    l.backward();
    opt.step();
    loss = l.item();
  }
  return loss;
}

function accuracy(net: nn.Module, x: Tensor, y: Tensor): number {
  return noGrad(() => net.forward(x).gt(0).eq(y).mean().item());
}

test('spiral: the 2-4-1 Tanh net (SGD lr 1, 10,000 full-batch steps) reaches accuracy >= 0.85 and loss < 0.30', () => {
  const { x, y } = spiral();
  // Several seeds, so that the bar holds for the method and not for one lucky initialisation.
  const results = [0, 1, 2].map((seed) => {
    manualSeed(seed);
    const net = new nn.Sequential(new nn.Linear(2, 4), new nn.Tanh(), new nn.Linear(4, 1));
    const loss = trainFullBatch(net, x, y, 1, 10000);
    return { seed, loss, acc: accuracy(net, x, y) };
  });
  const good = results.filter((r) => r.acc >= 0.85 && r.loss < 0.3);
  assert.ok(good.length >= 2, JSON.stringify(results));
});

test('spiral: the deeper 10-10-10 Tanh net gets a lower loss than the 2-4-1 net', () => {
  const { x, y } = spiral();
  manualSeed(0);
  const small = new nn.Sequential(new nn.Linear(2, 4), new nn.Tanh(), new nn.Linear(4, 1));
  const smallLoss = trainFullBatch(small, x, y, 1, 10000);
  manualSeed(0);
  const deep = new nn.Sequential(
    new nn.Linear(2, 10),
    new nn.Tanh(),
    new nn.Linear(10, 10),
    new nn.Tanh(),
    new nn.Linear(10, 10),
    new nn.Tanh(),
    new nn.Linear(10, 1),
  );
  const deepLoss = trainFullBatch(deep, x, y, 0.1, 20000);
  assert.ok(deepLoss < smallLoss, `deep ${deepLoss} vs small ${smallLoss}`);
  assert.ok(accuracy(deep, x, y) > 0.9);
});

test('x^2 regression: a 1-10-1 ReLU net fits the noisy parabola', () => {
  manualSeed(0);
  const { x, y } = quadratic();
  const net = new nn.Sequential(new nn.Linear(1, 10), new nn.ReLU(), new nn.Linear(10, 1));
  const opt = new optim.SGD(net.parameters(), { lr: 0.2 });
  const mse = new nn.MSELoss();
  let loss = NaN;
  for (let t = 0; t < 1000; t++) {
    const l = mse.forward(net.forward(x), y);
    opt.zeroGrad();
    l.backward();
    opt.step();
    loss = l.item();
  }
  // The noise 0.2·U(0,1) alone has variance 0.0033; a fitted curve is close to that floor.
  assert.ok(loss < 0.01, `final MSE ${loss}`);
});

test('mini-batch training with DataLoader (the batch-training tutorial)', () => {
  manualSeed(0);
  const x = linspace(1, 10, 10).reshape(10, 1);
  const y = linspace(10, 1, 10).reshape(10, 1);
  const loader = new DataLoader(new TensorDataset(x, y), { batchSize: 5, shuffle: true });
  const net = new nn.Sequential(new nn.Linear(1, 1));
  const opt = new optim.SGD(net.parameters(), { lr: 0.02 });
  const mse = new nn.MSELoss();
  const fullLoss = () => noGrad(() => mse.forward(net.forward(x), y).item());
  const initial = fullLoss();
  let batches = 0;
  for (let epoch = 0; epoch < 300; epoch++) {
    for (const [bx, by] of loader) {
      assert.deepEqual(bx.shape, [5, 1]);
      const l = mse.forward(net.forward(bx), by);
      opt.zeroGrad();
      l.backward();
      opt.step();
      batches++;
    }
  }
  assert.equal(batches, 600);
  // y = 11 - x exactly: the slope is found quickly, the intercept slowly (an ill-conditioned problem).
  const w = net.get<nn.Linear>(0);
  assert.ok(fullLoss() < initial / 100, `loss ${initial} -> ${fullLoss()}`);
  assert.ok(Math.abs(w.weight.data[0] + 1) < 0.1, `slope ${w.weight.data[0]}`);
});
