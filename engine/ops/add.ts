import { Tensor, type TensorLike } from '../tensor_core';
import { accumulate, needsGrad, record } from '../autograd';
import { broadcastShapes } from '../shape';
import { expandData, reduceToShape } from './broadcast';
import { addInto } from '../kernels/elementwise';
import { forwardArray } from '../buffer_pool';

export function add(a: Tensor, b: TensorLike): Tensor {
  if (typeof b === 'number') {
    const x = a.data;
    const out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) out[i] = x[i] + b;
    const r = new Tensor(out, a.shape);
    return needsGrad(a) ? record(r, 'add', [a], (g) => accumulate(a, g)) : r;
  }
  const shape = broadcastShapes('add', a.shape, b.shape);
  const x = expandData(a, shape);
  const y = expandData(b, shape);
  const out = forwardArray(x.length);
  if (!addInto(out, x, y)) for (let i = 0; i < out.length; i++) out[i] = x[i] + y[i];
  const r = new Tensor(out, shape);
  if (!needsGrad(a, b)) return r;
  return record(r, 'add', [a, b], (g) => {
    accumulate(a, reduceToShape(g, shape, a.shape));
    accumulate(b, reduceToShape(g, shape, b.shape));
  });
}
