/**
 * From the loaded data to the rows a run trains, validates and tests on: float tensors checked against
 * the loss (validate.ts) and split by rows, or image bytes split by index (no float copy of the set),
 * with the data's separate test set when it has one.
 */
import type { Module } from '../nn';
import { LOSSES, type LossName } from '../graph/training';
import type { RunInfo } from './protocol';
import { prepareForLoss, ChoiceError } from './validate';
import { splitIndices, splitValidation, type Split } from './split';
import { probeOutputSize } from './setup';
import { ImageRows, TensorRows, type SampleRows } from './rows';
import type { LoadedData } from './sources';

export interface RunRows {
  task: RunInfo['task'];
  classes: number;
  /** Class names by index (image data), for Evaluate's confusion matrix. */
  classNames: readonly string[] | null;
  train: SampleRows;
  val: SampleRows | null;
  test: SampleRows | null;
  /** The float split, for the decision-boundary plot (null for images: no plot over 784 inputs). */
  plot: Split | null;
  /** One line describing the samples, for the run's log. */
  summary: string;
}

export function prepareRunRows(
  data: LoadedData,
  loss: LossName,
  validationSplit: number,
  seed: number,
  inputShape: readonly number[],
  model: Module,
): RunRows {
  if (data.kind === 'tensors') {
    const outSize = probeOutputSize(model, inputShape, data.x.data.subarray(0, data.x.data.length / data.x.shape[0]));
    const prepared = prepareForLoss(loss, data.x, data.y, inputShape, outSize);
    const split = splitValidation(prepared.x, prepared.y, validationSplit, seed);
    return {
      task: prepared.task,
      classes: prepared.classes,
      classNames: null,
      train: new TensorRows(split.xTrain, split.yTrain),
      val: split.xVal === null || split.yVal === null ? null : new TensorRows(split.xVal, split.yVal),
      test: null,
      plot: split,
      summary: `${data.describe}, ${data.x.shape[0]} samples of shape [${data.x.shape.slice(1).join(', ')}]`,
    };
  }
  const { train, test, transforms } = data;
  const classes = train.classNames.length;
  if (LOSSES[loss].targets !== 'classes') {
    throw new ChoiceError(
      `${loss} does not take class labels, but ${data.describe} labels each image with one of ${classes} classes: use CrossEntropyLoss (or NLLLoss after a LogSoftmax)`,
    );
  }
  const [first] = train.toTensors(transforms, inputShape, 0, 1);
  const outSize = probeOutputSize(model, inputShape, first.data);
  if (outSize !== classes)
    throw new ChoiceError(
      `${data.describe} has ${classes} classes but the model outputs ${outSize} values per image: set the last layer's output size to ${classes}`,
    );
  const parts = splitIndices(train.length, validationSplit, seed);
  const rows = (set: typeof train) => new ImageRows(set, transforms, inputShape, seed);
  return {
    task: 'multiclass',
    classes,
    classNames: train.classNames,
    train: rows(parts === null ? train : train.take(parts.train)),
    val: parts === null ? null : rows(train.take(parts.val)),
    test: test === null ? null : rows(test),
    plot: null,
    summary: `${data.describe}, ${train.length} images of [${train.shape.join(', ')}] in ${classes} classes${test === null ? '' : `, ${test.length} test images`}`,
  };
}
