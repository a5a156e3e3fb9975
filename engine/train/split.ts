/**
 * Row selection: the seeded train/validation split and the gathering of mini-batches into reused
 * buffers. The loop does its own batching rather than using a DataLoader because a resumed run must
 * re-create the exact permutation of the epoch it stopped in and skip the batches already done.
 */
import { Tensor } from '../tensor';
import { Generator } from '../random';

/** Copies rows `idx[from..to)` of `src` into `dst` (row length `row`). */
export function gatherRows(src: Float32Array, row: number, idx: Int32Array, from: number, to: number, dst: Float32Array): void {
  if (row === 1) {
    for (let i = from; i < to; i++) dst[i - from] = src[idx[i]];
    return;
  }
  for (let i = from; i < to; i++) {
    const s = idx[i] * row;
    dst.set(src.subarray(s, s + row), (i - from) * row);
  }
}

export function takeRows(t: Tensor, idx: Int32Array): Tensor {
  const row = t.shape.slice(1).reduce((a, b) => a * b, 1);
  const out = new Float32Array(idx.length * row);
  gatherRows(t.data, row, idx, 0, idx.length, out);
  return new Tensor(out, [idx.length, ...t.shape.slice(1)]);
}

export interface Split {
  xTrain: Tensor;
  yTrain: Tensor;
  xVal: Tensor | null;
  yVal: Tensor | null;
}

/**
 * Holds out round(n * fraction) samples chosen by a generator of their own (seeded from the run's seed),
 * so the split does not depend on how many random numbers model init drew.
 */
export function splitValidation(x: Tensor, y: Tensor, fraction: number, seed: number): Split {
  const parts = splitIndices(x.shape[0], fraction, seed);
  if (parts === null) return { xTrain: x, yTrain: y, xVal: null, yVal: null };
  return { xTrain: takeRows(x, parts.train), yTrain: takeRows(y, parts.train), xVal: takeRows(x, parts.val), yVal: takeRows(y, parts.val) };
}

/** The sample indices of the two parts (null when nothing is held out), for tensors and image sets alike. */
export function splitIndices(n: number, fraction: number, seed: number): { train: Int32Array; val: Int32Array } | null {
  const nVal = Math.round(n * fraction);
  if (nVal === 0) return null;
  if (nVal >= n) throw new Error(`validationSplit ${fraction} leaves no training samples out of ${n}; use a smaller fraction`);
  const perm = new Generator((seed ^ 0x7a11d) >>> 0).permutation(n);
  // Sorted so both parts keep the file's order, which keeps unshuffled training meaningful.
  return { train: perm.slice(nVal).sort(), val: perm.slice(0, nVal).sort() };
}

/** The first `limit` rows (sharing storage), for cheap periodic metrics on big sets. */
export function headRows(t: Tensor, limit: number): Tensor {
  if (t.shape[0] <= limit) return t;
  const row = t.shape.slice(1).reduce((a, b) => a * b, 1);
  return new Tensor(t.data.subarray(0, limit * row), [limit, ...t.shape.slice(1)]);
}
