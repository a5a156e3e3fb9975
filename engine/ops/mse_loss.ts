import { Tensor } from '../tensor_core';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { gradArray } from '../buffer_pool';
import { checkSameShape, perElementBuffer, reduce, type Reduction } from './loss_common';

export function mseLoss(input: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor {
  checkSameShape('MSELoss', input, target);
  const x = input.data;
  const y = target.data;
  const per = perElementBuffer(x.length, reduction);
  for (let i = 0; i < x.length; i++) {
    const d = x[i] - y[i];
    per[i] = d * d;
  }
  const { value, factor } = reduce(per, input.shape, reduction);
  if (!needsGrad(input, target)) return value;
  return record(value, 'mseLoss', [input, target], (g) => {
    // The upstream gradient: one number for a reduced loss, one per element for reduction 'none'.
    const perElement = reduction === 'none';
    const scalar = g[0];
    const gi = gradArray(x.length);
    for (let i = 0; i < x.length; i++) gi[i] = 2 * (x[i] - y[i]) * factor * (perElement ? g[i] : scalar);
    if (target.requiresGrad)
      accumulateOwned(
        target,
        gi.map((v) => -v),
      );
    accumulateOwned(input, gi);
  });
}
