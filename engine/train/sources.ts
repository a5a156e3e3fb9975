/**
 * The readers of the data sources (engine/graph/training.ts, DATA_SOURCES), from a run's data spec to
 * tensors: engine/data's built-in sets and CSV reader, and a safetensors file holding `x` and `y` (names
 * configurable) through engine/io. Each reader knows what its source's omitted fields mean.
 */
import * as path from 'node:path';
import { promises as fsp } from 'node:fs';
import { Tensor } from '../tensor';
import * as data from '../data';
import type { DataSpec } from './config';
import { builtinName } from '../graph/training';
import { decodeTensors } from './codec';
import { loadImageData, type ImageData } from '../data/image_source';

/** Float samples and labels (built-in sets, CSV, safetensors). */
export interface TensorData {
  kind: 'tensors';
  x: Tensor;
  y: Tensor;
  /** Where the data came from, for messages. */
  describe: string;
}

/** Image bytes (IDX, Fashion-MNIST, image folders), with their test set and transforms. */
export interface ImageRunData extends ImageData {
  kind: 'images';
}

export type LoadedData = TensorData | ImageRunData;

export interface LoadOptions {
  /** Bytes of the data files read so far, and their size (CSV files and image files, which stream). */
  onProgress?: (bytes: number, totalBytes: number) => void;
  /** Abandons reading (the run was stopped while its data loads). */
  signal?: AbortSignal;
}

/** A NaN or infinite value in a tensor, named by sample and position, so the user can find it. */
function checkFinite(t: Tensor, file: string, name: string): void {
  const row = t.data.length / Math.max(1, t.shape[0]);
  for (let i = 0; i < t.data.length; i++) {
    if (!Number.isFinite(t.data[i])) {
      throw new Error(
        `${file}: tensor '${name}' holds ${t.data[i]} at sample ${Math.floor(i / row) + 1}, value ${(i % row) + 1}; training needs finite numbers (fill in or drop missing values)`,
      );
    }
  }
}

/**
 * `seed` (the run's) seeds the built-in sets that would otherwise draw from the default generator
 * (moons, quadratic), so a run and its resume see the same data; the flower keeps the tutorial's own
 * NumPy seed unless the section sets one.
 */
function readBuiltin(spec: Extract<DataSpec, { kind: 'builtin' }>, seed: number): TensorData {
  const name = builtinName(spec.name);
  const make = { flower: data.flower, moons: data.moons, quadratic: data.quadratic }[name];
  const options = spec.options ?? {};
  const { x, y } = make(name === 'flower' || options.seed !== undefined ? options : { ...options, seed });
  return { kind: 'tensors', x, y, describe: `built-in '${spec.name}'` };
}

/** Features omitted: every column but the label; label omitted: the last column (engine/data's readCsv rules). */
const csvColumns = (spec: Extract<DataSpec, { kind: 'csv' }>) => ({ features: spec.features ?? undefined, label: spec.label ?? undefined });

async function readCsvFile(spec: Extract<DataSpec, { kind: 'csv' }>, file: string, options: LoadOptions): Promise<TensorData> {
  const size = await fsp.stat(file).then(
    (st) => st.size,
    () => 0,
  );
  // Streamed: a 100 MB file is converted row by row and never held as text. NaN or infinite values are
  // refused with their line and column: they would make every loss NaN and look like divergence.
  const { x, y } = await data.readCsvStream(
    file,
    { ...csvColumns(spec), finite: true },
    options.onProgress === undefined ? undefined : (bytes) => options.onProgress!(bytes, size),
    options.signal,
  );
  return { kind: 'tensors', x, y, describe: file };
}

/** Tensors `x` and `y` (or the names the section gives) of a safetensors file. */
async function readSafetensorsFile(spec: Extract<DataSpec, { kind: 'safetensors' }>, file: string, options: LoadOptions): Promise<TensorData> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await fsp.readFile(file, { signal: options.signal }));
  } catch (e) {
    if (options.signal?.aborted) throw options.signal.reason;
    throw new Error(`cannot read the data file ${file}`);
  }
  const { tensors } = decodeTensors(bytes, file);
  const xName = spec.x ?? 'x';
  const yName = spec.y ?? 'y';
  const x = tensors[xName];
  const y = tensors[yName];
  const names = Object.keys(tensors).join(', ') || 'none';
  if (x === undefined) throw new Error(`${file} has no tensor '${xName}' for the inputs (tensors: ${names})`);
  if (y === undefined) throw new Error(`${file} has no tensor '${yName}' for the labels (tensors: ${names})`);
  checkFinite(x, file, xName);
  checkFinite(y, file, yName);
  return { kind: 'tensors', x, y, describe: file };
}

/**
 * The data a run's spec names, by its source's reader; paths are relative to `baseDir` (the model
 * file's folder). Image sources need the model's input shape (an image folder is decoded to it, and an
 * IDX image must hold as many values). A data source added to the grammar without a reader here is a
 * compile error.
 */
export async function loadData(
  spec: DataSpec,
  baseDir: string,
  seed: number,
  inputShape: readonly number[],
  options: LoadOptions = {},
): Promise<LoadedData> {
  switch (spec.kind) {
    case 'builtin':
      return readBuiltin(spec, seed);
    case 'csv':
      return readCsvFile(spec, path.resolve(baseDir, spec.path), options);
    case 'safetensors':
      return readSafetensorsFile(spec, path.resolve(baseDir, spec.path), options);
    case 'idx':
    case 'fashionMnist':
    case 'imageFolder':
      return { kind: 'images', ...(await loadImageData(spec, baseDir, inputShape, options)) };
  }
}

/**
 * Rows of a CSV (data rows counted from 1) as model inputs and labels, for Predict: `file` (relative to
 * the model's folder) or, by default, the run's own CSV, with the run's feature and label columns.
 */
export async function readRowsForPredict(
  spec: DataSpec,
  baseDir: string,
  rows: readonly number[],
  file?: string,
): Promise<{ inputs: number[][]; labels: number[]; file: string }> {
  const columns = spec.kind === 'csv' ? csvColumns(spec) : {};
  let target: string;
  if (file !== undefined && file.trim() !== '') target = path.resolve(baseDir, file);
  else if (spec.kind === 'csv') target = path.resolve(baseDir, spec.path);
  else
    throw new Error(
      `this run trained on ${spec.kind === 'builtin' ? `the built-in '${spec.name}' set` : spec.kind === 'safetensors' ? 'a safetensors file' : 'images'}, not a CSV: name a CSV file to take the rows from`,
    );
  const { features, labels } = await data.readCsvRows(target, rows, { ...columns, finite: true });
  return { inputs: features, labels, file: target };
}
