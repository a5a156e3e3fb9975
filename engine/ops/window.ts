/**
 * The sliding-window arithmetic that convolutions and pooling share: int-or-pair arguments, PyTorch's
 * output-size formulas, and the error a user sees when a window does not fit its (padded) input.
 */
import { formatShape } from '../shape';

export type Pair = number | readonly [number, number];

/** An int-or-pair argument as [height, width], checked to be an integer >= min. */
export function pair(op: string, what: string, v: Pair, min: number): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if (!Array.isArray(v) && typeof v !== 'number') throw new Error(`${op}: ${what} must be a number or a pair, got ${JSON.stringify(v)}`);
  for (const d of p) {
    if (!Number.isInteger(d) || d < min)
      throw new Error(`${op}: ${what} must be ${min === 0 ? 'a non-negative' : 'a positive'} integer or a pair of them, got ${JSON.stringify(v)}`);
  }
  return p;
}

/** Checks that x has the given rank and returns its shape, with an error naming the expected layout. */
export function expectRank(op: string, x: { shape: number[] }, rank: number, layout: string): number[] {
  if (x.shape.length !== rank) throw new Error(`${op}: expects input of shape ${layout}, got ${formatShape(x.shape)}`);
  return x.shape;
}

/** Output length of a convolution along one dimension: floor((in + padTotal - dilation*(k-1) - 1) / stride) + 1. */
export function convOutSize(op: string, dim: string, input: number, kernel: number, stride: number, padTotal: number, dilation: number): number {
  const span = dilation * (kernel - 1) + 1;
  const out = Math.floor((input + padTotal - span) / stride) + 1;
  if (input + padTotal < span || out <= 0) {
    throw new Error(
      `${op}: the kernel (size ${kernel}${dilation > 1 ? `, dilation ${dilation}, spanning ${span}` : ''}) is larger than the padded input ` +
        `along ${dim} (${input} + ${padTotal} padding = ${input + padTotal}); the output would have size ${Math.max(out, 0)}`,
    );
  }
  return out;
}

/** Output length of a pooling window along one dimension, PyTorch's pooling_output_shape (ceilMode included). */
export function poolOutSize(
  op: string,
  dim: string,
  input: number,
  kernel: number,
  stride: number,
  pad: number,
  dilation: number,
  ceilMode: boolean,
): number {
  if (pad * 2 > kernel) throw new Error(`${op}: padding ${pad} must be at most half the kernel size ${kernel} (along ${dim})`);
  const span = dilation * (kernel - 1) + 1;
  let out = Math.floor((input + 2 * pad - span + (ceilMode ? stride - 1 : 0)) / stride) + 1;
  // The last window must start inside the input or its left padding, as PyTorch requires.
  if (ceilMode && (out - 1) * stride >= input + pad) out--;
  if (out <= 0) {
    throw new Error(
      `${op}: the window (size ${kernel}, spanning ${span}) does not fit the input along ${dim} (${input} + 2x${pad} padding); the output would have size ${out}`,
    );
  }
  return out;
}
