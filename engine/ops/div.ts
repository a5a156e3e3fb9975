import { Tensor, type TensorLike } from '../tensor_core';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { gradArray } from '../buffer_pool';
import { broadcastShapes } from '../shape';
import { expandData, reduceToShape } from './broadcast';

export function div(a: Tensor, b: TensorLike): Tensor {
  if (typeof b === 'number') {
    const x = a.data;
    const out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) out[i] = x[i] / b;
    const r = new Tensor(out, a.shape);
    if (!needsGrad(a)) return r;
    return record(r, 'div', [a], (g) => {
      const ga = gradArray(g.length);
      for (let i = 0; i < g.length; i++) ga[i] = g[i] / b;
      accumulateOwned(a, ga);
    });
  }
  const shape = broadcastShapes('div', a.shape, b.shape);
  const x = expandData(a, shape);
  const y = expandData(b, shape);
  const out = new Float32Array(x.length);
  for (let i = 0; i < out.length; i++) out[i] = x[i] / y[i];
  const r = new Tensor(out, shape);
  if (!needsGrad(a, b)) return r;
  return record(r, 'div', [a, b], (g) => {
    if (a.requiresGrad) {
      const ga = gradArray(g.length);
      for (let i = 0; i < g.length; i++) ga[i] = g[i] / y[i];
      accumulateOwned(a, reduceToShape(ga, shape, a.shape));
    }
    if (b.requiresGrad) {
      // d(x/y)/dy = -x/y^2 = -out/y
      const gb = gradArray(g.length);
      for (let i = 0; i < g.length; i++) gb[i] = (-g[i] * out[i]) / y[i];
      accumulateOwned(b, reduceToShape(gb, shape, b.shape));
    }
  });
}
