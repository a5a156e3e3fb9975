import { Tensor } from '../tensor_core';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { gradArray } from '../buffer_pool';
import { checkSameShape, perElementBuffer, reduce, type Reduction } from './loss_common';

/** Binary cross-entropy on probabilities. Like PyTorch, each log is clamped at -100 so p = 0 or 1 stays finite. */
export function bceLoss(input: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor {
  checkSameShape('BCELoss', input, target);
  const p = input.data;
  const y = target.data;
  for (let i = 0; i < p.length; i++) {
    if (!(p[i] >= 0 && p[i] <= 1)) {
      throw new Error(`BCELoss: input values must be probabilities in [0, 1], found ${p[i]} at index ${i} (use BCEWithLogitsLoss for raw scores)`);
    }
  }
  const per = perElementBuffer(p.length, reduction);
  for (let i = 0; i < p.length; i++) {
    const lp = Math.max(Math.log(p[i]), -100);
    const l1p = Math.max(Math.log(1 - p[i]), -100);
    per[i] = -(y[i] * lp + (1 - y[i]) * l1p);
  }
  const { value, factor } = reduce(per, input.shape, reduction);
  if (!needsGrad(input, target)) return value;
  return record(value, 'bceLoss', [input, target], (g) => {
    // The upstream gradient: one number for a reduced loss, one per element for reduction 'none'.
    const perElement = reduction === 'none';
    const scalar = g[0];
    const eps = 1e-12; // PyTorch's guard against dividing by zero at p = 0 or 1
    const gi = gradArray(p.length);
    for (let i = 0; i < p.length; i++) {
      gi[i] = ((p[i] - y[i]) / Math.max((1 - p[i]) * p[i], eps)) * factor * (perElement ? g[i] : scalar);
    }
    if (target.requiresGrad) {
      const gt = gradArray(p.length);
      for (let i = 0; i < p.length; i++) {
        gt[i] = -(Math.max(Math.log(p[i]), -100) - Math.max(Math.log(1 - p[i]), -100)) * factor * (perElement ? g[i] : scalar);
      }
      accumulateOwned(target, gt);
    }
    accumulateOwned(input, gi);
  });
}
