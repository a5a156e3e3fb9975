/**
 * The main job until the editor lands: trains the tutorials' spiral ("flower") classifier from the
 * terminal with the engine, exactly as the PyTorch notebook does, and prints loss and accuracy.
 *
 *   npm run demo [-- --hidden 4 --steps 10000 --lr 1 --seed 0]
 */
import { parseArgs } from 'node:util';
import { manualSeed, nn, noGrad, optim } from '../engine';
import { spiral } from '../engine/data';

const { values } = parseArgs({
  options: {
    hidden: { type: 'string', default: '4' },
    steps: { type: 'string', default: '10000' },
    lr: { type: 'string', default: '1' },
    seed: { type: 'string', default: '0' },
  },
});
const hidden = Number(values.hidden);
const steps = Number(values.steps);
const lr = Number(values.lr);
for (const [name, v] of [
  ['hidden', hidden],
  ['steps', steps],
  ['lr', lr],
] as const) {
  if (!(v > 0) || !Number.isFinite(v)) {
    console.error(`demo: --${name} must be a positive number`);
    process.exit(2);
  }
}

manualSeed(Number(values.seed));
const { x, y } = spiral();
const net = new nn.Sequential(new nn.Linear(2, hidden), new nn.Tanh(), new nn.Linear(hidden, 1));
const criterion = new nn.BCEWithLogitsLoss();
const optimizer = new optim.SGD(net.parameters(), { lr });

console.log(`NN Blocks demo: the tutorial's spiral classifier, ${x.shape[0]} points, full batch`);
console.log(net.toString());
const accuracy = () =>
  noGrad(() => {
    const pred = net.forward(x).gt(0);
    return pred.eq(y).mean().item();
  });
const t0 = performance.now();
for (let e = 1; e <= steps; e++) {
  const loss = criterion.forward(net.forward(x), y);
  optimizer.zeroGrad();
  loss.backward();
  optimizer.step();
  if (!loss.isFinite()) {
    console.error(`epoch ${e}: the loss is ${loss.item()}; lower the learning rate (--lr) and try again`);
    process.exit(1);
  }
  if (e % Math.max(1, Math.floor(steps / 10)) === 0 || e === steps) {
    console.log(`epoch: ${e}, loss: ${loss.item().toFixed(6)}, accuracy: ${accuracy().toFixed(4)}`);
  }
}
const seconds = (performance.now() - t0) / 1000;
console.log(
  `trained ${steps} steps in ${seconds.toFixed(2)} s (${(steps / seconds).toFixed(0)} steps/s); training accuracy ${accuracy().toFixed(4)}`,
);
