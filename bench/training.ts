/**
 * W1 (the spiral net, 10,000 full-batch steps) and W2 (a 784-512-512-10 MLP, Adam, batch 64) on this
 * engine and on TensorFlow.js, with the same shapes, losses and optimizers.
 */
import { manualSeed, nn, optim, randn, randint, tensor, Tensor } from '../engine';
import { spiral } from '../engine/data';
import { useTfBackend, type TfBackend } from './tfjs_backends';

export interface W1Result {
  seconds: number;
  finalLoss: number;
}

export interface W2Result {
  stepsPerSecond: number;
  samplesPerSecond: number;
  finalLoss: number;
}

export function w1Engine(steps: number): W1Result {
  manualSeed(0);
  const { x, y } = spiral();
  const net = new nn.Sequential(new nn.Linear(2, 4), new nn.Tanh(), new nn.Linear(4, 1));
  const criterion = new nn.BCEWithLogitsLoss();
  const opt = new optim.SGD(net.parameters(), { lr: 1 });
  let last = NaN;
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) {
    const loss = criterion.forward(net.forward(x), y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
    if (i === steps - 1) last = loss.item();
  }
  return { seconds: (performance.now() - t0) / 1000, finalLoss: last };
}

export async function w1Tf(backend: TfBackend, steps: number): Promise<W1Result> {
  const tf = await useTfBackend(backend);
  const { x: xs, y: ys } = spiral();
  const x = tf.tensor2d(xs.data, [400, 2]);
  const y = tf.tensor2d(ys.data, [400, 1]);
  const w1 = tf.variable(tf.randomUniform([2, 4], -0.7, 0.7, 'float32', 1));
  const b1 = tf.variable(tf.zeros([4]));
  const w2 = tf.variable(tf.randomUniform([4, 1], -0.5, 0.5, 'float32', 2));
  const b2 = tf.variable(tf.zeros([1]));
  const opt = tf.train.sgd(1);
  const f = () => tf.losses.sigmoidCrossEntropy(y, tf.tanh(x.matMul(w1).add(b1)).matMul(w2).add(b2)) as import('@tensorflow/tfjs').Scalar;
  let last = NaN;
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) {
    const cost = opt.minimize(f, i === steps - 1);
    if (cost) {
      last = cost.dataSync()[0];
      cost.dispose();
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  tf.dispose([x, y, w1, b1, w2, b2]);
  opt.dispose();
  return { seconds, finalLoss: last };
}

const W2_BATCH = 64;

function w2Data(): { x: Tensor; y: Tensor } {
  manualSeed(1);
  return { x: randn([W2_BATCH * 4, 784]), y: randint(0, 10, [W2_BATCH * 4]) };
}

export function w2Engine(steps: number): W2Result {
  const { x, y } = w2Data();
  const net = new nn.Sequential(new nn.Linear(784, 512), new nn.ReLU(), new nn.Linear(512, 512), new nn.ReLU(), new nn.Linear(512, 10));
  const criterion = new nn.CrossEntropyLoss();
  const opt = new optim.Adam(net.parameters(), { lr: 1e-3 });
  const batches = [0, 1, 2, 3].map((b) => ({
    x: tensor(x.data.subarray(b * W2_BATCH * 784, (b + 1) * W2_BATCH * 784), [W2_BATCH, 784]),
    y: tensor(y.data.subarray(b * W2_BATCH, (b + 1) * W2_BATCH), [W2_BATCH]),
  }));
  let last = NaN;
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) {
    const b = batches[i % 4];
    const loss = criterion.forward(net.forward(b.x), b.y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
    if (i === steps - 1) last = loss.item();
  }
  const seconds = (performance.now() - t0) / 1000;
  return { stepsPerSecond: steps / seconds, samplesPerSecond: (steps * W2_BATCH) / seconds, finalLoss: last };
}

export async function w2Tf(backend: TfBackend, steps: number): Promise<W2Result> {
  const tf = await useTfBackend(backend);
  const { x, y } = w2Data();
  const xs = [0, 1, 2, 3].map((b) => tf.tensor2d(x.data.subarray(b * W2_BATCH * 784, (b + 1) * W2_BATCH * 784), [W2_BATCH, 784]));
  const ys = [0, 1, 2, 3].map((b) => tf.oneHot(tf.tensor1d(Array.from(y.data.subarray(b * W2_BATCH, (b + 1) * W2_BATCH)), 'int32'), 10));
  const dense = (i: number, o: number, seed: number) => ({
    w: tf.variable(tf.randomUniform([i, o], -1 / Math.sqrt(i), 1 / Math.sqrt(i), 'float32', seed)),
    b: tf.variable(tf.zeros([o])),
  });
  const l1 = dense(784, 512, 1);
  const l2 = dense(512, 512, 2);
  const l3 = dense(512, 10, 3);
  const opt = tf.train.adam(1e-3);
  let last = NaN;
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) {
    const bx = xs[i % 4];
    const by = ys[i % 4];
    const cost = opt.minimize(
      () => {
        const h1 = tf.relu(bx.matMul(l1.w).add(l1.b));
        const h2 = tf.relu(h1.matMul(l2.w).add(l2.b));
        return tf.losses.softmaxCrossEntropy(by, h2.matMul(l3.w).add(l3.b)) as import('@tensorflow/tfjs').Scalar;
      },
      i === steps - 1,
    );
    if (cost) {
      last = cost.dataSync()[0];
      cost.dispose();
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  tf.dispose([...xs, ...ys, l1.w, l1.b, l2.w, l2.b, l3.w, l3.b]);
  opt.dispose();
  return { stepsPerSecond: steps / seconds, samplesPerSecond: (steps * W2_BATCH) / seconds, finalLoss: last };
}
