/**
 * After training: Evaluate (loss, accuracy or MSE, confusion matrix on the validation split, or on the
 * training data when the run held none out) and Predict (the engine's output next to onnxruntime's for
 * the same inputs, exporting the run's weights to ONNX first when needed).
 */
import { promises as fsp, existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { Tensor } from '../tensor';
import { noGrad } from '../autograd';
import { manualSeed } from '../random';
import type { Module } from '../nn';
import { CHECKPOINT_DIR, MODEL_FILE, listCheckpoints, readRunConfig } from './run_folder';
import { modelFromDocument } from './document';
import { exportOnnxFile, runOnnxFile, type Provider } from './onnx';
import { loadData, readRowsForPredict } from './sources';
import { decodeTensors } from './codec';
import { unpackCheckpoint } from './checkpoint';
import type { Evaluation } from './evaluate';
import { makeLoss, takesLogits } from './setup';
import { prepareRunRows } from './run_data';
import { evaluateRows, ImageRows } from './rows';
import { previewImage, type PreviewImage } from '../data/image_preview';

/** The model of a run with its trained weights (model.safetensors, else the last checkpoint). */
export async function loadRunModel(
  runDir: string,
): Promise<{ model: Module; inputShape: number[]; weights: Record<string, Tensor>; source: string }> {
  const config = await readRunConfig(runDir);
  const built = modelFromDocument(config.document);
  manualSeed(config.resolved.seed);
  const model = built.build();
  let weights: Record<string, Tensor>;
  let source: string;
  const modelFile = path.join(runDir, MODEL_FILE);
  if (existsSync(modelFile)) {
    weights = decodeTensors(new Uint8Array(await fsp.readFile(modelFile))).tensors;
    source = MODEL_FILE;
  } else {
    const names = await listCheckpoints(runDir);
    if (names.length === 0) throw new Error(`${runDir} has neither ${MODEL_FILE} nor checkpoints`);
    source = `${CHECKPOINT_DIR}/${names[names.length - 1]}`;
    const { tensors, metadata } = decodeTensors(new Uint8Array(await fsp.readFile(path.join(runDir, source))));
    weights = unpackCheckpoint(tensors, metadata, source).modelState;
  }
  model.loadStateDict(weights);
  model.eval();
  return { model, inputShape: built.inputShape, weights, source };
}

export interface RunEvaluation extends Evaluation {
  split: 'test' | 'validation' | 'training';
  task: 'binary' | 'multiclass' | 'regression';
  weights: string;
  /** Class names by index (image data), and each class's accuracy (its row of the confusion matrix). */
  classNames?: string[];
  perClassAccuracy?: number[];
  /** Image data: the images of `worst`, in its order. */
  worstImages?: PreviewImage[];
}

/** How many of the worst misclassified test images Evaluate keeps. */
export const WORST_SHOWN = 16;

/** The diagonal over each row's total: how often a sample of that class is recognised (NaN for an empty class). */
export function perClassAccuracy(confusion: readonly (readonly number[])[]): number[] {
  return confusion.map((row, i) => row[i] / row.reduce((a, b) => a + b, 0));
}

export async function evaluateRun(runDir: string): Promise<RunEvaluation> {
  const config = await readRunConfig(runDir);
  const r = config.resolved;
  const { model, inputShape, source } = await loadRunModel(runDir);
  const baseDir = config.documentPath !== null ? path.dirname(config.documentPath) : runDir;
  const data = await loadData(r.data, baseDir, r.seed, inputShape);
  const rows = prepareRunRows(data, r.loss.type, r.validationSplit, r.seed, inputShape, model);
  // The test set when the data has one, else the validation split, else the training data.
  const [split, on] =
    rows.test !== null
      ? (['test', rows.test] as const)
      : rows.val !== null
        ? (['validation', rows.val] as const)
        : (['training', rows.train] as const);
  const ev = await evaluateRows(model, makeLoss(r.loss), rows.task, on, {
    confusion: true,
    classes: rows.task === 'binary' ? 2 : rows.classes,
    logits: takesLogits(r.loss.type),
    reduction: r.loss.reduction,
    ...(on instanceof ImageRows ? { worst: WORST_SHOWN } : {}),
  });
  return {
    ...ev,
    split,
    task: rows.task,
    weights: source,
    ...(rows.classNames === null ? {} : { classNames: [...rows.classNames] }),
    ...(ev.confusion === undefined ? {} : { perClassAccuracy: perClassAccuracy(ev.confusion) }),
    ...(on instanceof ImageRows && ev.worst !== undefined ? { worstImages: ev.worst.map((m) => previewImage(on.dataset, m.index)) } : {}),
  };
}

export interface Prediction {
  engine: number[][];
  onnx: number[][] | null;
  /** Why there is no onnxruntime column (export or runtime failure), or null. */
  onnxError: string | null;
  maxAbsDiff: number | null;
  onnxFile: string | null;
}

const rowsOf = (t: Tensor, n: number): number[][] => {
  const w = t.data.length / n;
  return Array.from({ length: n }, (_, i) => Array.from(t.data.subarray(i * w, (i + 1) * w)));
};

/**
 * Runs `inputs` (one flat row of feature values per sample) through the engine and through onnxruntime
 * (CPU by default; 'cuda' first when asked, falling back to CPU when its provider is not installed).
 * The ONNX file is runDir/model.onnx, exported from the document and the run's weights when missing or
 * older than those weights.
 */
export async function predictRun(runDir: string, inputs: number[][], providers: Provider[] = ['cpu']): Promise<Prediction> {
  const config = await readRunConfig(runDir);
  const { model, inputShape, weights, source } = await loadRunModel(runDir);
  const per = inputShape.reduce((a, b) => a * b, 1);
  inputs.forEach((row, i) => {
    if (row.length !== per) throw new Error(`input row ${i + 1} has ${row.length} values; the model takes ${per} (shape [${inputShape.join(', ')}])`);
    row.forEach((v, j) => {
      if (!Number.isFinite(v)) throw new Error(`input row ${i + 1}, value ${j + 1} is not a number`);
    });
  });
  const x = new Tensor(Float32Array.from(inputs.flat()), [inputs.length, ...inputShape]);
  const out = noGrad(() => model.forward(x));
  const engine = rowsOf(out, inputs.length);
  const onnxFile = path.join(runDir, 'model.onnx');
  try {
    // Exported again when the run's weights are newer than the file (a resumed run wrote new ones).
    if (!existsSync(onnxFile) || statSync(onnxFile).mtimeMs <= statSync(path.join(runDir, source)).mtimeMs)
      exportOnnxFile(config.document, weights, onnxFile);
    const ort = await runOnnxFile(onnxFile, x, providers);
    const onnx = rowsOf(ort, inputs.length);
    let maxAbsDiff = 0;
    for (let i = 0; i < out.data.length; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(out.data[i] - ort.data[i]));
    return { engine, onnx, onnxError: null, maxAbsDiff, onnxFile };
  } catch (e) {
    return { engine, onnx: null, onnxError: (e as Error).message, maxAbsDiff: null, onnxFile: existsSync(onnxFile) ? onnxFile : null };
  }
}

export interface RowsPrediction extends Prediction {
  inputs: number[][];
  rowNumbers: number[];
  labels: number[];
  file: string;
}

/** Predict on rows of a CSV: `file` (relative to the model's folder), or the run's own training CSV. */
export async function predictRunRows(
  runDir: string,
  rows: readonly number[],
  file?: string,
  providers: Provider[] = ['cpu'],
): Promise<RowsPrediction> {
  const config = await readRunConfig(runDir);
  const baseDir = config.documentPath !== null ? path.dirname(config.documentPath) : runDir;
  const picked = await readRowsForPredict(config.resolved.data, baseDir, rows, file);
  return {
    ...(await predictRun(runDir, picked.inputs, providers)),
    inputs: picked.inputs,
    rowNumbers: [...rows],
    labels: picked.labels,
    file: picked.file,
  };
}
