/**
 * Loss and accuracy (classifiers) or MSE (regression) of a model on a data set, without gradients and
 * in eval mode, in chunks so a large validation split never needs one huge activation tensor.
 */
import { Tensor } from '../tensor';
import { noGrad } from '../autograd';
import type { Module } from '../nn';
import type { Task } from './protocol';

export interface Evaluation {
  loss: number;
  accuracy?: number;
  mse?: number;
  /** confusion[trueClass][predictedClass] counts, classifiers only, when asked for. */
  confusion?: number[][];
  samples: number;
}

const CHUNK = 4096;

/** The predicted class of sample i from model outputs (one logit, or one score per class). */
export function predictedClass(out: Float32Array, i: number, width: number, logits: boolean): number {
  if (width === 1) return out[i] > (logits ? 0 : 0.5) ? 1 : 0;
  let best = 0;
  let bestV = out[i * width];
  for (let c = 1; c < width; c++) {
    const v = out[i * width + c];
    if (v > bestV) {
      bestV = v;
      best = c;
    }
  }
  return best;
}

export interface EvaluateOptions {
  confusion?: boolean;
  classes?: number;
  logits?: boolean;
  reduction?: 'mean' | 'sum';
}

/**
 * The evaluation as a generator that yields after each chunk of CHUNK samples, so one caller can run it
 * straight through (evaluate) and another can let its event loop turn between chunks (evaluateAsync).
 */
function* evaluateChunks(model: Module, criterion: Module, task: Task, x: Tensor, y: Tensor, options: EvaluateOptions): Generator<void, Evaluation> {
  const n = x.shape[0];
  const wasTraining = model.training;
  model.eval();
  const classes = options.classes ?? 2;
  const confusion = options.confusion && task !== 'regression' ? Array.from({ length: classes }, () => new Array<number>(classes).fill(0)) : undefined;
  let lossSum = 0;
  let correct = 0;
  let sqErr = 0;
  let count = 0;
  const xRow = x.shape.slice(1).reduce((a, b) => a * b, 1);
  const yRow = y.shape.slice(1).reduce((a, b) => a * b, 1);
  try {
    for (let start = 0; start < n; start += CHUNK) {
      const len = Math.min(CHUNK, n - start);
      const xb = len === n ? x : new Tensor(x.data.subarray(start * xRow, (start + len) * xRow), [len, ...x.shape.slice(1)]);
      const yb = len === n ? y : new Tensor(y.data.subarray(start * yRow, (start + len) * yRow), [len, ...y.shape.slice(1)]);
      noGrad(() => {
        const out = model.forward(xb);
        const l = criterion.forward(out, yb).item();
        lossSum += options.reduction === 'sum' ? l : l * len;
        const o = out.data;
        const width = o.length / len;
        if (task === 'regression') {
          for (let i = 0; i < o.length; i++) {
            const d = o[i] - yb.data[i];
            sqErr += d * d;
          }
          count += o.length;
        } else {
          for (let i = 0; i < len; i++) {
            const truth = task === 'binary' ? (yb.data[i * yRow] >= 0.5 ? 1 : 0) : yb.data[i];
            const pred = predictedClass(o, i, width, options.logits ?? true);
            if (pred === truth) correct++;
            if (confusion !== undefined && truth < classes && pred < classes) confusion[truth][pred]++;
          }
        }
      });
      if (start + len < n) yield;
    }
  } finally {
    model.train(wasTraining);
  }
  const loss = options.reduction === 'sum' ? lossSum : lossSum / n;
  if (task === 'regression') return { loss, mse: sqErr / count, samples: n };
  return { loss, accuracy: correct / n, confusion, samples: n };
}

export function evaluate(model: Module, criterion: Module, task: Task, x: Tensor, y: Tensor, options: EvaluateOptions = {}): Evaluation {
  const it = evaluateChunks(model, criterion, task, x, y, options);
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
  }
}

/**
 * The same evaluation, letting the event loop turn between chunks: on the CLI's thread a final pass
 * over 25,000 MNIST-sized samples would otherwise block Ctrl-C and the progress bar for over a second.
 */
export async function evaluateAsync(model: Module, criterion: Module, task: Task, x: Tensor, y: Tensor, options: EvaluateOptions = {}): Promise<Evaluation> {
  const it = evaluateChunks(model, criterion, task, x, y, options);
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
