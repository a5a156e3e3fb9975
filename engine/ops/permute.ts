import { Tensor } from '../tensor_core';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { formatShape, normDim, sizeOf, stridesOf } from '../shape';

/** Reorders dimensions (copying, since tensors here are always contiguous). */
export function permute(a: Tensor, dims: readonly number[]): Tensor {
  const rank = a.shape.length;
  const perm = dims.map((d) => normDim('permute', d, rank));
  if (perm.length !== rank || new Set(perm).size !== rank) {
    throw new Error(`permute: ${formatShape(dims)} is not a permutation of the ${rank} dimensions of ${formatShape(a.shape)}`);
  }
  const shape = perm.map((d) => a.shape[d]);
  const out = gatherPermuted(a.data, a.shape, perm);
  const r = new Tensor(out, shape);
  if (!needsGrad(a)) return r;
  const inverse = new Array<number>(rank);
  perm.forEach((d, i) => (inverse[d] = i));
  return record(r, 'permute', [a], (g) => accumulateOwned(a, gatherPermuted(g, shape, inverse)));
}

/** Swaps two dimensions. */
export function transpose(a: Tensor, dim0: number, dim1: number): Tensor {
  const rank = a.shape.length;
  const perm = a.shape.map((_, i) => i);
  const d0 = normDim('transpose', dim0, rank);
  const d1 = normDim('transpose', dim1, rank);
  perm[d0] = d1;
  perm[d1] = d0;
  return permute(a, perm);
}

function gatherPermuted(x: Float32Array, shape: readonly number[], perm: readonly number[]): Float32Array {
  const rank = shape.length;
  const out = new Float32Array(x.length);
  if (rank === 2 && perm[0] === 1) {
    const [rows, cols] = shape;
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = x[r * cols + c];
    return out;
  }
  const inStrides = stridesOf(shape);
  const outShape = perm.map((d) => shape[d]);
  const srcStrides = perm.map((d) => inStrides[d]);
  const idx = new Array<number>(rank).fill(0);
  const n = sizeOf(outShape);
  let src = 0;
  for (let dst = 0; dst < n; dst++) {
    out[dst] = x[src];
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      src += srcStrides[d];
      if (idx[d] < outShape[d]) break;
      src -= srcStrides[d] * idx[d];
      idx[d] = 0;
    }
  }
  return out;
}
