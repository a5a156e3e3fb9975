import { Tensor } from '../tensor_core';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { gradArray } from '../buffer_pool';
import { checkSameShape, perElementBuffer, reduce, type Reduction } from './loss_common';

export function l1Loss(input: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor {
  checkSameShape('L1Loss', input, target);
  const x = input.data;
  const y = target.data;
  const per = perElementBuffer(x.length, reduction);
  for (let i = 0; i < x.length; i++) per[i] = Math.abs(x[i] - y[i]);
  const { value, factor } = reduce(per, input.shape, reduction);
  if (!needsGrad(input, target)) return value;
  return record(value, 'l1Loss', [input, target], (g) => {
    // The upstream gradient: one number for a reduced loss, one per element for reduction 'none'.
    const perElement = reduction === 'none';
    const scalar = g[0];
    const gi = gradArray(x.length);
    for (let i = 0; i < x.length; i++) gi[i] = Math.sign(x[i] - y[i]) * factor * (perElement ? g[i] : scalar);
    if (target.requiresGrad)
      accumulateOwned(
        target,
        gi.map((v) => -v),
      );
    accumulateOwned(input, gi);
  });
}
