/**
 * Checks that the chosen loss fits the model and the data before any step runs, and puts the targets
 * into the shape the loss wants. Every message names what is wrong and what to change, because the user
 * fixes it in a form, not in code.
 */
import { Tensor } from '../tensor';
import type { LossName } from './config';
import { LOSSES } from '../graph/training';
import type { Task } from './protocol';

export class ChoiceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChoiceError';
  }
}

export interface Prepared {
  task: Task;
  /** Class count for classifiers, output size for regression. */
  classes: number;
  x: Tensor;
  y: Tensor;
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const fmt = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/**
 * x: [N, ...features], y: [N] or [N, k]. inputShape: the model's per-sample input (e.g. [2] or
 * [1, 28, 28]); outputSize: values per sample the model produces.
 */
export function prepareForLoss(loss: LossName, x: Tensor, y: Tensor, inputShape: readonly number[], outputSize: number): Prepared {
  const n = x.shape[0];
  if (y.shape[0] !== n) throw new ChoiceError(`the data has ${n} inputs but ${y.shape[0]} labels; every row needs one label`);
  if (n === 0) throw new ChoiceError('the data set is empty');
  const features = sizeOf(x.shape.slice(1));
  if (features !== sizeOf(inputShape)) {
    throw new ChoiceError(
      `the data has ${features} feature value(s) per sample but the model's input is ${fmt(inputShape)} (${sizeOf(inputShape)} values): ` +
        `pick ${sizeOf(inputShape)} feature column(s), or change the model's input shape to [${features}]`,
    );
  }
  const xs =
    x.shape.length === inputShape.length + 1 && x.shape.slice(1).every((d, i) => d === inputShape[i]) ? x : new Tensor(x.data, [n, ...inputShape]);
  const labelWidth = sizeOf(y.shape.slice(1));
  const targets = LOSSES[loss].targets;

  if (targets === 'classes') {
    if (labelWidth !== 1) {
      throw new ChoiceError(
        `${loss} needs one integer class label per sample, but the data has ${labelWidth} label columns: choose a single label column`,
      );
    }
    let maxLabel = 0;
    for (let i = 0; i < n; i++) {
      const v = y.data[i];
      if (!Number.isInteger(v) || v < 0) {
        throw new ChoiceError(
          `${loss} needs integer class labels 0, 1, 2, ...; sample ${i + 1} has label ${v}. Use MSELoss for continuous targets, or map the labels to class indices`,
        );
      }
      if (v > maxLabel) maxLabel = v;
    }
    const classes = maxLabel + 1;
    if (outputSize < 2) {
      throw new ChoiceError(
        `${loss} needs one output per class, but the model outputs ${outputSize} value per sample: set the last layer's output size to ${Math.max(2, classes)} (or use BCEWithLogitsLoss for two classes with one logit)`,
      );
    }
    if (classes > outputSize) {
      throw new ChoiceError(
        `the labels go up to ${maxLabel} (${classes} classes) but the model outputs ${outputSize} values per sample: set the last layer's output size to ${classes}`,
      );
    }
    return { task: 'multiclass', classes: outputSize, x: xs, y: new Tensor(y.data, [n]) };
  }

  if (targets === 'binary') {
    if (outputSize !== labelWidth) {
      const hint =
        outputSize > 1 && labelWidth === 1
          ? `set the last layer's output size to 1 (one logit per sample), or use CrossEntropyLoss with ${outputSize} classes`
          : `use ${labelWidth} label column(s) or set the last layer's output size to ${labelWidth}`;
      throw new ChoiceError(
        `${loss} needs one ${LOSSES[loss].takesLogits ? 'logit' : 'probability'} per sample and label, but the model outputs ${outputSize} value(s) per sample and the data has ${labelWidth} label column(s): ${hint}`,
      );
    }
    for (let i = 0; i < y.data.length; i++) {
      const v = y.data[i];
      if (!(v >= 0 && v <= 1)) {
        throw new ChoiceError(
          `${loss} needs labels between 0 and 1 (usually 0 or 1); sample ${Math.floor(i / labelWidth) + 1} has ${v}. Map the classes to 0/1, or use CrossEntropyLoss for class indices or MSELoss for regression`,
        );
      }
    }
    return { task: 'binary', classes: 2, x: xs, y: new Tensor(y.data, [n, labelWidth]) };
  }

  // Regression losses compare outputs with targets element by element.
  if (outputSize !== labelWidth) {
    throw new ChoiceError(
      `${loss} compares each output with a target, but the model outputs ${outputSize} value(s) per sample and the data has ${labelWidth} target column(s): set the last layer's output size to ${labelWidth} or choose ${outputSize} target column(s)`,
    );
  }
  return { task: 'regression', classes: outputSize, x: xs, y: new Tensor(y.data, [n, labelWidth]) };
}
