/**
 * W4 (a LeNet-5 training step: batch 64 of 1x28x28, CrossEntropyLoss, Adam) and W5 (the forward pass of
 * a mini ResNet at batch 1 and 64, eval mode) on this engine, on TensorFlow.js in the same process (the
 * wasm backend; W4 also on the cpu one, since tfjs-wasm has no Conv2DBackpropFilter kernel and so cannot
 * train a convolution), and on PyTorch CPU as a subprocess (bench/cnn_pytorch.py) when /usr/bin/python3
 * has torch.
 * The three build the same layers with the same shapes; the ResNet is the structure of
 * examples/resnet_mini.nnb.json, built here in code.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { manualSeed, nn, noGrad, optim, randint, randn, type Tensor } from '../engine';
import { useTfBackend, type TfBackend } from './tfjs_backends';

const BATCH = 64;
export const W5_BATCHES = [1, 64];

export function lenet5(): nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(), new nn.Linear(400, 120), new nn.ReLU(), new nn.Linear(120, 84), new nn.ReLU(), new nn.Linear(84, 10),
  );
}

/** The ResNet basic block: conv-BN-ReLU-conv-BN plus the identity, or a 1x1 projection when the shape changes. */
export class BasicBlock extends nn.Module {
  conv1: nn.Conv2d;
  bn1: nn.BatchNorm2d;
  relu = new nn.ReLU();
  conv2: nn.Conv2d;
  bn2: nn.BatchNorm2d;
  proj: nn.Sequential | null;

  constructor(cin: number, cout: number, stride: number) {
    super();
    this.conv1 = new nn.Conv2d(cin, cout, 3, { stride, padding: 1, bias: false });
    this.bn1 = new nn.BatchNorm2d(cout);
    this.conv2 = new nn.Conv2d(cout, cout, 3, { padding: 1, bias: false });
    this.bn2 = new nn.BatchNorm2d(cout);
    this.proj = stride === 1 && cin === cout ? null : new nn.Sequential(new nn.Conv2d(cin, cout, 1, { stride, bias: false }), new nn.BatchNorm2d(cout));
  }

  override forward(x: Tensor): Tensor {
    const y = this.bn2.forward(this.conv2.forward(this.relu.forward(this.bn1.forward(this.conv1.forward(x)))));
    return this.relu.forward(y.add(this.proj === null ? x : this.proj.forward(x)));
  }
}

export function resnetMini(): nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(3, 16, 3, { padding: 1, bias: false }), new nn.BatchNorm2d(16), new nn.ReLU(),
    new BasicBlock(16, 16, 1), new BasicBlock(16, 32, 2), new BasicBlock(32, 64, 2),
    new nn.AdaptiveAvgPool2d(1), new nn.Flatten(), new nn.Linear(64, 10),
  );
}

/** Seconds per call: the best of `rounds` rounds of `n` calls, after two warm-up calls. */
function best(rounds: number, n: number, f: () => void): number {
  f();
  f();
  let out = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) f();
    out = Math.min(out, (performance.now() - t0) / 1000 / n);
  }
  return out;
}

export function w4Engine(rounds: number, steps: number): number {
  manualSeed(0);
  const net = lenet5();
  const x = randn([BATCH, 1, 28, 28]);
  const y = randint(0, 10, [BATCH]);
  const criterion = new nn.CrossEntropyLoss();
  const opt = new optim.Adam(net.parameters(), { lr: 1e-3 });
  return best(rounds, steps, () => {
    const loss = criterion.forward(net.forward(x), y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
  });
}

export function w5Engine(rounds: number, runs: number, batch: number): number {
  manualSeed(0);
  const net = resnetMini().eval();
  const x = randn([batch, 3, 32, 32]);
  return best(rounds, runs, () => noGrad(() => net.forward(x)));
}

export async function w4Tf(backend: TfBackend, rounds: number, steps: number): Promise<number> {
  const tf = await useTfBackend(backend);
  type T4 = import('@tensorflow/tfjs').Tensor4D;
  const x = tf.randomNormal([BATCH, 28, 28, 1], 0, 1, 'float32', 1) as T4;
  const y = tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32', 2), 10);
  const v = (shape: number[], fanIn: number, seed: number) => tf.variable(tf.randomUniform(shape, -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn), 'float32', seed));
  const c1 = v([5, 5, 1, 6], 25, 3), b1 = tf.variable(tf.zeros([6]));
  const c2 = v([5, 5, 6, 16], 150, 4), b2 = tf.variable(tf.zeros([16]));
  const d1 = v([400, 120], 400, 5), e1 = tf.variable(tf.zeros([120]));
  const d2 = v([120, 84], 120, 6), e2 = tf.variable(tf.zeros([84]));
  const d3 = v([84, 10], 84, 7), e3 = tf.variable(tf.zeros([10]));
  const opt = tf.train.adam(1e-3);
  const loss = () => {
    const h1 = tf.maxPool(tf.relu(tf.conv2d(x, c1 as unknown as T4, 1, 'same').add(b1)) as T4, 2, 2, 'valid');
    const h2 = tf.maxPool(tf.relu(tf.conv2d(h1, c2 as unknown as T4, 1, 'valid').add(b2)) as T4, 2, 2, 'valid');
    const f = h2.reshape([BATCH, 400]);
    const logits = tf.relu(tf.relu(f.matMul(d1).add(e1)).matMul(d2).add(e2)).matMul(d3).add(e3);
    return tf.losses.softmaxCrossEntropy(y, logits) as import('@tensorflow/tfjs').Scalar;
  };
  const seconds = best(rounds, steps, () => {
    const cost = opt.minimize(loss, true);
    cost?.dataSync();
    cost?.dispose();
  });
  tf.dispose([x, y, c1, b1, c2, b2, d1, e1, d2, e2, d3, e3]);
  opt.dispose();
  return seconds;
}

export async function w5Tf(rounds: number, runs: number, batch: number): Promise<number> {
  const tf = await useTfBackend('wasm');
  type T4 = import('@tensorflow/tfjs').Tensor4D;
  const held: import('@tensorflow/tfjs').Tensor[] = [];
  let seed = 10;
  const conv = (k: number, cin: number, cout: number) => {
    const w = tf.randomUniform([k, k, cin, cout], -0.1, 0.1, 'float32', seed++) as import('@tensorflow/tfjs').Tensor4D;
    held.push(w);
    return w;
  };
  const bn = (c: number) => {
    const p = [tf.randomNormal([c], 0, 0.1, 'float32', seed++), tf.ones([c]), tf.ones([c]), tf.zeros([c])] as const;
    held.push(...p);
    return (t: T4): T4 => tf.batchNorm(t, p[0], p[1], p[3], p[2], 1e-5) as T4;
  };
  const block = (cin: number, cout: number, stride: 1 | 2) => {
    const w1 = conv(3, cin, cout), n1 = bn(cout), w2 = conv(3, cout, cout), n2 = bn(cout);
    const proj = stride === 1 && cin === cout ? null : { w: conv(1, cin, cout), n: bn(cout) };
    return (t: T4): T4 => {
      const y = n2(tf.conv2d(tf.relu(n1(tf.conv2d(t, w1, stride, 'same'))) as T4, w2, 1, 'same'));
      return tf.relu(y.add(proj === null ? t : proj.n(tf.conv2d(t, proj.w, stride, 'valid')))) as T4;
    };
  };
  const stem = conv(3, 3, 16), stemBn = bn(16);
  const blocks = [block(16, 16, 1), block(16, 32, 2), block(32, 64, 2)];
  const head = tf.randomUniform([64, 10], -0.1, 0.1, 'float32', seed++);
  held.push(head);
  const x = tf.randomNormal([batch, 32, 32, 3], 0, 1, 'float32', 1) as T4;
  const seconds = best(rounds, runs, () => {
    const out = tf.tidy(() => {
      let h = tf.relu(stemBn(tf.conv2d(x, stem, 1, 'same'))) as T4;
      for (const b of blocks) h = b(h);
      return tf.mean(h, [1, 2]).matMul(head);
    });
    out.dataSync();
    out.dispose();
  });
  tf.dispose([...held, x]);
  return seconds;
}

export interface TorchResult {
  torch: string;
  threads: number;
  blas: string;
  w4StepSeconds: number;
  [key: `w5Batch${number}Seconds`]: number;
}

const PYTHON = '/usr/bin/python3';

/** PyTorch's figures, or null (with the reason printed) when no torch is installed. */
export function torchCnn(rounds: number, w4Steps: number, w5Runs: number, threads: number): TorchResult | null {
  if (!existsSync(PYTHON)) {
    console.log(`PyTorch column skipped: ${PYTHON} not found`);
    return null;
  }
  // Beside this file under tsx, two levels up from dist/bench/ in the bundle that npm run bench runs.
  const script = [path.join(__dirname, 'cnn_pytorch.py'), path.join(__dirname, '..', '..', 'bench', 'cnn_pytorch.py')].find((f) => existsSync(f));
  if (script === undefined) throw new Error(`bench/cnn_pytorch.py not found from ${__dirname}`);
  const r = spawnSync(PYTHON, [script, JSON.stringify({ rounds, w4Steps, w5Runs, w5Batches: W5_BATCHES, threads })], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.log(`PyTorch column skipped: ${PYTHON} ${script} failed:\n${r.stderr.trim().split('\n').slice(-3).join('\n')}`);
    return null;
  }
  return JSON.parse(r.stdout) as TorchResult;
}
