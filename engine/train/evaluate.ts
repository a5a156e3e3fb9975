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
  /** The worst misclassified samples (classifiers, when asked for): least probability on the true class first. */
  worst?: Misclassified[];
  samples: number;
}

/** A misclassified sample: its position in the evaluated set, its true and predicted class, and how sure the model was. */
export interface Misclassified {
  index: number;
  truth: number;
  predicted: number;
  /** The model's probability of the true class (softmax over the outputs, or the sigmoid of one logit). */
  trueProbability: number;
  /** Its probability of the class it predicted. */
  predictedProbability: number;
}

/** Probabilities of sample i's classes from its outputs: softmax over several, sigmoid of one logit (or the value itself when it is a probability). */
export function classProbabilities(out: Float32Array, i: number, width: number, logits: boolean): number[] {
  if (width === 1) {
    const v = out[i];
    const p = logits ? 1 / (1 + Math.exp(-v)) : v;
    return [1 - p, p];
  }
  let max = -Infinity;
  for (let c = 0; c < width; c++) max = Math.max(max, out[i * width + c]);
  const e = Array.from({ length: width }, (_, c) => Math.exp(out[i * width + c] - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

/** Worse first: less probability on the true class, then more on the wrong one, then the earlier sample. */
const worseFirst = (a: Misclassified, b: Misclassified) =>
  a.trueProbability - b.trueProbability || b.predictedProbability - a.predictedProbability || a.index - b.index;

/** The `k` worst of two lists of misclassified samples (each already worst first, or in any order). */
export function mergeWorst(a: readonly Misclassified[], b: readonly Misclassified[], k: number): Misclassified[] {
  return [...a, ...b].sort(worseFirst).slice(0, k);
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
  /** Keep this many of the worst misclassified samples (classifiers only). */
  worst?: number;
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
  const confusion =
    options.confusion && task !== 'regression' ? Array.from({ length: classes }, () => new Array<number>(classes).fill(0)) : undefined;
  let lossSum = 0;
  let correct = 0;
  let sqErr = 0;
  let count = 0;
  const k = task === 'regression' ? 0 : (options.worst ?? 0);
  let worst: Misclassified[] = [];
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
            else if (k > 0) {
              const p = classProbabilities(o, i, width, options.logits ?? true);
              const miss = { index: start + i, truth, predicted: pred, trueProbability: p[truth] ?? 0, predictedProbability: p[pred] };
              // Kept sorted and at most k long, so a large set with many mistakes costs k per sample, not a full sort.
              if (worst.length < k || worseFirst(miss, worst[worst.length - 1]) < 0) worst = mergeWorst(worst, [miss], k);
            }
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
  return { loss, accuracy: correct / n, confusion, ...(k > 0 ? { worst } : {}), samples: n };
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
export async function evaluateAsync(
  model: Module,
  criterion: Module,
  task: Task,
  x: Tensor,
  y: Tensor,
  options: EvaluateOptions = {},
): Promise<Evaluation> {
  const it = evaluateChunks(model, criterion, task, x, y, options);
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
