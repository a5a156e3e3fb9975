import { Tensor } from '../tensor_core';
import { accumulate, needsGrad, record } from '../autograd';

/** A copy with its own storage; gradients flow through it unchanged. */
export function clone(a: Tensor): Tensor {
  const r = new Tensor(a.data.slice(), a.shape);
  return needsGrad(a) ? record(r, 'clone', [a], (g) => accumulate(a, g)) : r;
}
