/**
 * W4 (a LeNet-5 training step, examples/lenet5.nnb.json: batch 64 of 1x28x28, CrossEntropyLoss, Adam) and W5 (the forward pass of
 * a mini ResNet at batch 1 and 64, eval mode) on this engine, on TensorFlow.js in the same process (the
 * wasm backend; W4 also on the cpu one, since tfjs-wasm has no Conv2DBackpropFilter kernel and so cannot
 * train a convolution), and on PyTorch CPU as a subprocess (bench/cnn_pytorch.py) when /usr/bin/python3
 * has torch.
 * Both models are the example documents themselves: the engine builds them, PyTorch runs their generated
 * PyTorch code, onnxruntime-node W5's ONNX export (engine/graph/onnx), and tfjs (which has no importer for
 * either) the same layers built by hand, W5's checked against the document's parameter count.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { manualSeed, nn, noGrad, optim, randint, randn } from '../engine';
import { buildModel, generatePyTorch, parseDocument, toOnnxBytes, type ModelDocument } from '../engine/graph';
import { useTfBackend, type TfBackend } from './tfjs_backends';

const BATCH = 64;
export const W5_BATCHES = [1, 64];

/** An example document, beside this file's folder under tsx or two levels up from dist/bench/ in the bundle. */
export function exampleDocument(name: string): ModelDocument {
  const file = [
    path.join(__dirname, '..', 'examples', name),
    path.join(__dirname, '..', '..', 'examples', name),
    path.join(process.cwd(), 'examples', name),
  ].find((f) => existsSync(f));
  if (file === undefined) throw new Error(`examples/${name} not found from ${__dirname}`);
  return parseDocument(readFileSync(file, 'utf8'));
}

/** W4's model. */
export const lenet5Document = (): ModelDocument => exampleDocument('lenet5.nnb.json');
/** W5's model. */
export const resnetMiniDocument = (): ModelDocument => exampleDocument('resnet_mini.nnb.json');

/** The input shape of W5, [C, H, W], from the document. */
function w5Input(doc: ModelDocument): [number, number, number] {
  const [c, h, w] = doc.input.shape as number[];
  return [c, h, w];
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
  const net = buildModel(lenet5Document());
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
  const doc = resnetMiniDocument();
  const net = buildModel(doc).eval();
  const x = randn([batch, ...w5Input(doc)]);
  return best(rounds, runs, () => noGrad(() => net.forward(x)));
}

/** Seconds per forward pass of the document's ONNX export in onnxruntime-node (CPU, `threads` intra-op threads). */
export async function w5Onnx(rounds: number, runs: number, batch: number, threads: number): Promise<number> {
  manualSeed(0);
  const doc = resnetMiniDocument();
  const bytes = toOnnxBytes(doc, buildModel(doc).eval());
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ort = require('onnxruntime-node') as typeof import('onnxruntime-node');
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1 });
  const shape = [batch, ...w5Input(doc)];
  const data = randn(shape).data;
  const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', data, shape) };
  for (let i = 0; i < 2; i++) await session.run(feeds);
  let out = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) await session.run(feeds);
    out = Math.min(out, (performance.now() - t0) / 1000 / runs);
  }
  await session.release();
  return out;
}

export async function w4Tf(backend: TfBackend, rounds: number, steps: number): Promise<number> {
  const tf = await useTfBackend(backend);
  type T4 = import('@tensorflow/tfjs').Tensor4D;
  const x = tf.randomNormal([BATCH, 28, 28, 1], 0, 1, 'float32', 1) as T4;
  const y = tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32', 2), 10);
  const v = (shape: number[], fanIn: number, seed: number) =>
    tf.variable(tf.randomUniform(shape, -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn), 'float32', seed));
  const c1 = v([5, 5, 1, 6], 25, 3),
    b1 = tf.variable(tf.zeros([6]));
  const c2 = v([5, 5, 6, 16], 150, 4),
    b2 = tf.variable(tf.zeros([16]));
  const d1 = v([400, 120], 400, 5),
    e1 = tf.variable(tf.zeros([120]));
  const d2 = v([120, 84], 120, 6),
    e2 = tf.variable(tf.zeros([84]));
  const d3 = v([84, 10], 84, 7),
    e3 = tf.variable(tf.zeros([10]));
  const opt = tf.train.adam(1e-3);
  const loss = () => {
    const h1 = tf.maxPool(tf.relu(tf.conv2d(x, c1 as unknown as T4, 1, 'same').add(b1)) as T4, 2, 2, 'valid');
    const h2 = tf.maxPool(tf.relu(tf.conv2d(h1, c2 as unknown as T4, 1, 'valid').add(b2)) as T4, 2, 2, 'valid');
    const f = h2.reshape([BATCH, 400]);
    const logits = tf
      .relu(tf.relu(f.matMul(d1).add(e1)).matMul(d2).add(e2))
      .matMul(d3)
      .add(e3);
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

/** examples/resnet_mini.nnb.json's blocks (in channels, out channels, stride) after its 3->16 stem, for tfjs. */
const TF_BLOCKS: [number, number, 1 | 2][] = [
  [16, 16, 1],
  [16, 16, 1],
  [16, 32, 2],
  [32, 32, 1],
];

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
  let bnBuffers = 0;
  const bn = (c: number) => {
    // offset (beta), scale (gamma), running variance, running mean
    const p = [tf.randomNormal([c], 0, 0.1, 'float32', seed++), tf.ones([c]), tf.ones([c]), tf.zeros([c])] as const;
    held.push(...p);
    bnBuffers += 2 * c;
    return (t: T4): T4 => tf.batchNorm(t, p[0], p[1], p[3], p[2], 1e-5) as T4;
  };
  const block = (cin: number, cout: number, stride: 1 | 2) => {
    const w1 = conv(3, cin, cout),
      n1 = bn(cout),
      w2 = conv(3, cout, cout),
      n2 = bn(cout);
    const proj = stride === 1 && cin === cout ? null : { w: conv(1, cin, cout), n: bn(cout) };
    return (t: T4): T4 => {
      const y = n2(tf.conv2d(tf.relu(n1(tf.conv2d(t, w1, stride, 'same'))) as T4, w2, 1, 'same'));
      return tf.relu(y.add(proj === null ? t : proj.n(tf.conv2d(t, proj.w, stride, 'valid')))) as T4;
    };
  };
  const stem = conv(3, 3, 16),
    stemBn = bn(16);
  const blocks = TF_BLOCKS.map(([cin, cout, stride]) => block(cin, cout, stride));
  const head = tf.randomUniform([32, 10], -0.1, 0.1, 'float32', seed++),
    headBias = tf.zeros([10]);
  held.push(head, headBias);
  // The same model as the document, or the comparison is void: count the trainable parameters (BN's
  // running statistics are buffers in the document, and tfjs's bn() holds them beside gamma and beta).
  const doc = resnetMiniDocument();
  const docParams = buildModel(doc)
    .parameters()
    .reduce((s, p) => s + p.size, 0);
  const tfParams = held.reduce((s, t) => s + t.size, 0) - bnBuffers;
  if (tfParams !== docParams)
    throw new Error(`W5 on tfjs: the hand-built ResNet has ${tfParams} parameters, examples/resnet_mini.nnb.json ${docParams}: update TF_BLOCKS`);
  const [c, h, w] = w5Input(doc);
  const x = tf.randomNormal([batch, h, w, c], 0, 1, 'float32', 1) as T4;
  const seconds = best(rounds, runs, () => {
    const out = tf.tidy(() => {
      let h = tf.relu(stemBn(tf.conv2d(x, stem, 1, 'same'))) as T4;
      for (const b of blocks) h = b(h);
      return tf.mean(h, [1, 2]).matMul(head).add(headBias);
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

/**
 * Debian's python3-torch links libblas.so.3, which is the reference BLAS unless the OpenBLAS alternative is
 * selected: point the subprocess at OpenBLAS when it is there (Debian's libopenblas0-pthread folder, or
 * NN_BLOCKS_OPENBLAS_DIR, e.g. the package unpacked with `dpkg-deb -x`), so the comparison is against a
 * real BLAS whatever the system default; the result names the BLAS torch loaded.
 */
export function torchEnv(): NodeJS.ProcessEnv {
  const dir = [process.env.NN_BLOCKS_OPENBLAS_DIR, '/usr/lib/x86_64-linux-gnu/openblas-pthread'].find(
    (d) => d !== undefined && d !== '' && existsSync(path.join(d, 'libblas.so.3')),
  );
  if (dir === undefined) return process.env;
  return { ...process.env, LD_LIBRARY_PATH: [dir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') };
}

/** PyTorch's figures, or null (with the reason printed) when no torch is installed. */
export function torchCnn(rounds: number, w4Steps: number, w5Runs: number, threads: number): TorchResult | null {
  if (!existsSync(PYTHON)) {
    console.log(`PyTorch column skipped: ${PYTHON} not found`);
    return null;
  }
  // Beside this file under tsx, two levels up from dist/bench/ in the bundle that npm run bench runs.
  const script = [path.join(__dirname, 'cnn_pytorch.py'), path.join(__dirname, '..', '..', 'bench', 'cnn_pytorch.py')].find((f) => existsSync(f));
  if (script === undefined) throw new Error(`bench/cnn_pytorch.py not found from ${__dirname}`);
  // The models are the generated PyTorch code of the example documents (their create_model()).
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nnb-bench-'));
  const w4Code = path.join(dir, 'lenet5.py');
  writeFileSync(w4Code, generatePyTorch(lenet5Document()));
  const w5Code = path.join(dir, 'resnet_mini.py');
  writeFileSync(w5Code, generatePyTorch(resnetMiniDocument()));
  const input = w5Input(resnetMiniDocument());
  const r = spawnSync(PYTHON, [script, JSON.stringify({ rounds, w4Steps, w5Runs, w5Batches: W5_BATCHES, threads, w4Code, w5Code, w5Input: input })], {
    encoding: 'utf8',
    env: torchEnv(),
  });
  rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0) {
    console.log(`PyTorch column skipped: ${PYTHON} ${script} failed:\n${r.stderr.trim().split('\n').slice(-3).join('\n')}`);
    return null;
  }
  return JSON.parse(r.stdout) as TorchResult;
}
