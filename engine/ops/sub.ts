import { Tensor, type TensorLike } from '../tensor_core';
import { accumulate, accumulateOwned, needsGrad, record } from '../autograd';
import { gradArray } from '../buffer_pool';
import { broadcastShapes } from '../shape';
import { expandData, reduceToShape } from './broadcast';

export function sub(a: Tensor, b: TensorLike): Tensor {
  if (typeof b === 'number') {
    const x = a.data;
    const out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) out[i] = x[i] - b;
    const r = new Tensor(out, a.shape);
    return needsGrad(a) ? record(r, 'sub', [a], (g) => accumulate(a, g)) : r;
  }
  const shape = broadcastShapes('sub', a.shape, b.shape);
  const x = expandData(a, shape);
  const y = expandData(b, shape);
  const out = new Float32Array(x.length);
  for (let i = 0; i < out.length; i++) out[i] = x[i] - y[i];
  const r = new Tensor(out, shape);
  if (!needsGrad(a, b)) return r;
  return record(r, 'sub', [a, b], (g) => {
    accumulate(a, reduceToShape(g, shape, a.shape));
    if (b.requiresGrad) {
      const neg = gradArray(g.length);
      for (let i = 0; i < g.length; i++) neg[i] = -g[i];
      accumulateOwned(b, reduceToShape(neg, shape, b.shape));
    }
  });
}
