import { Tensor, type TensorLike } from '../tensor_core';
import { broadcastShapes } from '../shape';
import { asTensor, expandData } from './broadcast';

export type Comparison = 'gt' | 'ge' | 'lt' | 'le' | 'eq';

/** Elementwise comparison giving 1 where true and 0 where false; not differentiable, so no graph. */
export function compare(a: Tensor, other: TensorLike, op: Comparison): Tensor {
  const b = asTensor(other);
  const shape = broadcastShapes(op, a.shape, b.shape);
  const x = expandData(a, shape);
  const y = expandData(b, shape);
  const out = new Float32Array(x.length);
  for (let i = 0; i < out.length; i++) {
    const u = x[i];
    const v = y[i];
    out[i] = (op === 'gt' ? u > v : op === 'ge' ? u >= v : op === 'lt' ? u < v : op === 'le' ? u <= v : u === v) ? 1 : 0;
  }
  return new Tensor(out, shape);
}
