import { Tensor } from '../tensor_core';
import { formatShape, shapesEqual } from '../shape';
import { gradArray, releaseArray } from '../buffer_pool';

export type Reduction = 'mean' | 'sum' | 'none';

/** Elementwise losses need equal shapes: silently broadcasting [N] against [N, 1] is a classic silent bug. */
export function checkSameShape(loss: string, input: Tensor, target: Tensor): void {
  if (shapesEqual(input.shape, target.shape)) return;
  const hint =
    input.data.length === target.data.length
      ? ` (same number of values: reshape the target with .reshape(${formatShape(input.shape).replace(/[[\]]/g, '')}))`
      : '';
  throw new Error(`${loss}: input shape ${formatShape(input.shape)} and target shape ${formatShape(target.shape)} differ${hint}`);
}

/** Scratch for per-element losses: it becomes the result for reduction 'none', else it is recycled by `reduce`. */
export function perElementBuffer(n: number, reduction: Reduction): Float32Array {
  return reduction === 'none' ? new Float32Array(n) : gradArray(n);
}

/** Applies the reduction to per-element losses, returning the result and the factor each element's gradient gets. */
export function reduce(per: Float32Array, shape: number[], reduction: Reduction): { value: Tensor; factor: number } {
  if (reduction === 'none') return { value: new Tensor(per, shape), factor: 1 };
  let s = 0;
  for (let i = 0; i < per.length; i++) s += per[i];
  releaseArray(per);
  const factor = reduction === 'mean' ? 1 / per.length : 1;
  return { value: new Tensor(new Float32Array([s * factor]), []), factor };
}
