import { Tensor } from '../tensor_core';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { gradArray } from '../buffer_pool';
import { formatShape, shapesEqual, sizeOf } from '../shape';
import { matmulInto } from '../kernels/matmul';

/**
 * Matrix product with PyTorch's rank rules: vector·vector, matrix·vector, vector·matrix, matrix·matrix,
 * and batched `[..., m, k] @ [..., k, n]` where the batch dimensions are equal or `b` is a plain matrix
 * (then the leading dimensions of `a` fold into its rows, one big product instead of many small ones).
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  const ar = a.shape.length;
  const br = b.shape.length;
  if (ar === 0 || br === 0)
    throw new Error(`matmul: both operands need at least one dimension, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  const k = a.shape[ar - 1];
  const kb = br === 1 ? b.shape[0] : b.shape[br - 2];
  if (k !== kb) {
    throw new Error(`matmul: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} cannot be multiplied (${k} columns vs ${kb} rows)`);
  }
  const n = br === 1 ? 1 : b.shape[br - 1];
  if (br <= 2) {
    const m = ar === 1 ? 1 : sizeOf(a.shape) / k;
    const outShape = [...a.shape.slice(0, ar - 1), ...(br === 1 ? [] : [n])];
    return product(a, b, 1, m, k, n, outShape);
  }
  const batchA = ar >= 3 ? a.shape.slice(0, ar - 2) : [];
  const batchB = b.shape.slice(0, br - 2);
  if (ar < 3 || !shapesEqual(batchA, batchB)) {
    throw new Error(`matmul: batch dimensions of ${formatShape(a.shape)} and ${formatShape(b.shape)} must be equal`);
  }
  const m = a.shape[ar - 2];
  return product(a, b, sizeOf(batchA), m, k, n, [...batchA, m, n]);
}

function product(a: Tensor, b: Tensor, batch: number, m: number, k: number, n: number, outShape: number[]): Tensor {
  const out = new Float32Array(batch * m * n);
  if (batch === 1) matmulInto(out, a.data, b.data, m, k, n);
  else forBatches(batch, m * k, k * n, m * n, a.data, b.data, out, (o, x, y) => matmulInto(o, x, y, m, k, n));
  const r = new Tensor(out, outShape);
  if (!needsGrad(a, b)) return r;
  return record(r, 'matmul', [a, b], (g) => {
    if (a.requiresGrad) {
      // dA = dC · Bᵀ
      const ga = gradArray(a.data.length);
      if (batch === 1) matmulInto(ga, g, b.data, m, n, k, false, true);
      else forBatches(batch, m * n, k * n, m * k, g, b.data, ga, (o, x, y) => matmulInto(o, x, y, m, n, k, false, true));
      accumulateOwned(a, ga);
    }
    if (b.requiresGrad) {
      // dB = Aᵀ · dC
      const gb = gradArray(b.data.length);
      if (batch === 1) matmulInto(gb, a.data, g, k, m, n, true, false);
      else forBatches(batch, m * k, m * n, k * n, a.data, g, gb, (o, x, y) => matmulInto(o, x, y, k, m, n, true, false));
      accumulateOwned(b, gb);
    }
  });
}

function forBatches(
  batch: number,
  xStride: number,
  yStride: number,
  oStride: number,
  x: Float32Array,
  y: Float32Array,
  out: Float32Array,
  f: (o: Float32Array, x: Float32Array, y: Float32Array) => void,
): void {
  for (let i = 0; i < batch; i++) {
    f(out.subarray(i * oStride, (i + 1) * oStride), x.subarray(i * xStride, (i + 1) * xStride), y.subarray(i * yStride, (i + 1) * yStride));
  }
}
