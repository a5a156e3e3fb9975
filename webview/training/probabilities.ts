/**
 * A classifier's outputs as a person reads them: the probability of each class and the class picked.
 * The loss says what the outputs are (the grammar's LOSSES table): one logit per sample for
 * BCEWithLogitsLoss (a sigmoid gives the probability of class 1), a probability already for BCELoss,
 * one score per class for CrossEntropyLoss (softmax) and log-probabilities for NLLLoss (softmax of
 * log-probabilities is their exponential). Regression outputs have no classes (null).
 */
import { LOSSES, type LossName } from '../../engine/graph/training';

export interface Classified {
  /** Binary: [P(class 1)]; classes: one probability per class. */
  probabilities: number[];
  predicted: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function softmax(scores: number[]): number[] {
  const top = Math.max(...scores);
  const e = scores.map((s) => Math.exp(s - top));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

export function classify(outputs: number[], loss: LossName): Classified | null {
  const spec = LOSSES[loss];
  if (spec.targets === 'values' || outputs.length === 0) return null;
  if (spec.targets === 'binary') {
    const p = spec.takesLogits ? sigmoid(outputs[0]) : outputs[0];
    return { probabilities: [p], predicted: p >= 0.5 ? 1 : 0 };
  }
  const probabilities = softmax(outputs);
  return { probabilities, predicted: probabilities.indexOf(Math.max(...probabilities)) };
}
