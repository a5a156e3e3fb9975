/**
 * Adapter from a run's data spec to tensors: engine/data's built-in sets and CSV reader, and a
 * safetensors file holding `x` and `y` (names configurable) through engine/io.
 */
import * as path from 'node:path';
import { promises as fsp } from 'node:fs';
import { Tensor } from '../tensor';
import * as data from '../data';
import type { DataSpec } from './config';
import { decodeTensors } from './codec';

export interface LoadedData {
  x: Tensor;
  y: Tensor;
  /** Where the data came from, for messages. */
  describe: string;
}

/**
 * `seed` (the run's) seeds the built-in sets that would otherwise draw from the default generator
 * (moons, quadratic), so a run and its resume see the same data; the spiral keeps the tutorial's own
 * NumPy seed unless the section sets one.
 */
export async function loadData(spec: DataSpec, baseDir: string, seed: number): Promise<LoadedData> {
  if (spec.kind === 'builtin') {
    const make = { spiral: data.spiral, moons: data.moons, quadratic: data.quadratic }[spec.name];
    const options = spec.name === 'spiral' || spec.options.seed !== undefined ? spec.options : { ...spec.options, seed };
    const { x, y } = make(options);
    return { x, y, describe: `built-in '${spec.name}'` };
  }
  const file = path.resolve(baseDir, spec.path);
  if (spec.kind === 'csv') {
    // Streamed: a 100 MB file is converted row by row and never held as text.
    const { x, y } = await data.readCsvStream(file, { features: spec.features ?? undefined, label: spec.label ?? undefined });
    return { x, y, describe: file };
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await fsp.readFile(file));
  } catch {
    throw new Error(`cannot read the data file ${file}`);
  }
  const { tensors } = decodeTensors(bytes, file);
  const x = tensors[spec.x];
  const y = tensors[spec.y];
  const names = Object.keys(tensors).join(', ') || 'none';
  if (x === undefined) throw new Error(`${file} has no tensor '${spec.x}' for the inputs (tensors: ${names})`);
  if (y === undefined) throw new Error(`${file} has no tensor '${spec.y}' for the labels (tensors: ${names})`);
  return { x, y, describe: file };
}
