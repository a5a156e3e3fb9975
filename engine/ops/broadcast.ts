/** Broadcasting support for binary ops: materialising an operand at the result shape and summing a gradient back. */
import { Tensor } from '../tensor_core';
import { shapesEqual, sizeOf, stridesOf } from '../shape';

/** The values of t laid out at `shape` (t's shape must broadcast to it). Returns t.data itself when no expansion is needed. */
export function expandData(t: Tensor, shape: readonly number[]): Float32Array {
  if (shapesEqual(t.shape, shape)) return t.data;
  const n = sizeOf(shape);
  const out = new Float32Array(n);
  if (t.data.length === 1) return out.fill(t.data[0]);
  const inner = trailingMatch(t.shape, shape);
  if (inner > 0) {
    // t repeats along leading dimensions only (the bias case): copy it block by block.
    for (let o = 0; o < n; o += inner) out.set(t.data, o);
    return out;
  }
  const srcStrides = broadcastStrides(t.shape, shape);
  forEachIndex(shape, srcStrides, (dst, src) => {
    out[dst] = t.data[src];
  });
  return out;
}

/** Sums a gradient laid out at `outShape` down to `inShape`, undoing a broadcast. Returns g itself when the shapes match. */
export function reduceToShape(g: Float32Array, outShape: readonly number[], inShape: readonly number[]): Float32Array {
  if (shapesEqual(outShape, inShape)) return g;
  const out = new Float32Array(sizeOf(inShape));
  if (out.length === 1) {
    let s = 0;
    for (let i = 0; i < g.length; i++) s += g[i];
    out[0] = s;
    return out;
  }
  const inner = trailingMatch(inShape, outShape);
  if (inner > 0) {
    for (let o = 0; o < g.length; o += inner) for (let j = 0; j < inner; j++) out[j] += g[o + j];
    return out;
  }
  const srcStrides = broadcastStrides(inShape, outShape);
  forEachIndex(outShape, srcStrides, (dst, src) => {
    out[src] += g[dst];
  });
  return out;
}

/**
 * When `small` equals the trailing dimensions of `big` after dropping its leading 1s, returns its size
 * (the period of the repetition); else 0.
 */
function trailingMatch(small: readonly number[], big: readonly number[]): number {
  let s = 0;
  while (s < small.length && small[s] === 1) s++;
  const rest = small.length - s;
  if (rest === 0 || rest > big.length) return 0;
  for (let i = 0; i < rest; i++) if (small[s + i] !== big[big.length - rest + i]) return 0;
  return sizeOf(small);
}

/** Strides of `small` seen at `big`'s rank, 0 where it is broadcast. */
function broadcastStrides(small: readonly number[], big: readonly number[]): number[] {
  const strides = stridesOf(small);
  const out = new Array<number>(big.length).fill(0);
  const off = big.length - small.length;
  for (let i = 0; i < small.length; i++) out[off + i] = small[i] === 1 ? 0 : strides[i];
  return out;
}

function forEachIndex(shape: readonly number[], srcStrides: readonly number[], f: (dst: number, src: number) => void): void {
  const rank = shape.length;
  const idx = new Array<number>(rank).fill(0);
  const n = sizeOf(shape);
  let src = 0;
  for (let dst = 0; dst < n; dst++) {
    f(dst, src);
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      src += srcStrides[d];
      if (idx[d] < shape[d]) break;
      src -= srcStrides[d] * idx[d];
      idx[d] = 0;
    }
  }
}

export function asTensor(v: Tensor | number): Tensor {
  return typeof v === 'number' ? new Tensor(new Float32Array([v]), []) : v;
}
