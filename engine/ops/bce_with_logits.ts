import { Tensor } from '../tensor';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { gradArray } from '../buffer_pool';
import { expNonPositive, log1pUnit } from './fastmath';
import { checkSameShape, perElementBuffer, reduce, type Reduction } from './loss_common';

/**
 * Sigmoid + binary cross-entropy in one stable formula: max(x, 0) - x*y + log(1 + exp(-|x|)),
 * finite for any logit, with gradient sigmoid(x) - y.
 */
export function bceWithLogitsLoss(input: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor {
  checkSameShape('BCEWithLogitsLoss', input, target);
  const x = input.data;
  const y = target.data;
  const per = perElementBuffer(x.length, reduction);
  // exp(-|x|) is kept for the backward pass, which gets sigmoid(x) from it without another exp.
  const e = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    const ev = expNonPositive(-Math.abs(v));
    e[i] = ev;
    per[i] = (v > 0 ? v : 0) - v * y[i] + log1pUnit(ev);
  }
  const { value, factor } = reduce(per, input.shape, reduction);
  if (!needsGrad(input, target)) return value;
  return record(value, 'bceWithLogitsLoss', [input, target], (g) => {
    // The upstream gradient: one number for a reduced loss, one per element for reduction 'none'.
    const perElement = reduction === 'none';
    const scalar = g[0];
    const gi = gradArray(x.length);
    for (let i = 0; i < x.length; i++) {
      const s = x[i] >= 0 ? 1 / (1 + e[i]) : e[i] / (1 + e[i]);
      gi[i] = (s - y[i]) * factor * (perElement ? g[i] : scalar);
    }
    if (target.requiresGrad) {
      const gt = gradArray(x.length);
      for (let i = 0; i < x.length; i++) gt[i] = -x[i] * factor * (perElement ? g[i] : scalar);
      accumulateOwned(target, gt);
    }
    accumulateOwned(input, gi);
  });
}
