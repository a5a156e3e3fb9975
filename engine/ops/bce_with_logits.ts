import { Tensor } from '../tensor';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { checkSameShape, reduce, upstream, type Reduction } from './loss_common';

/**
 * Sigmoid + binary cross-entropy in one stable formula: max(x, 0) - x*y + log(1 + exp(-|x|)),
 * finite for any logit, with gradient sigmoid(x) - y.
 */
export function bceWithLogitsLoss(input: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor {
  checkSameShape('BCEWithLogitsLoss', input, target);
  const x = input.data;
  const y = target.data;
  const per = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    per[i] = (v > 0 ? v : 0) - v * y[i] + Math.log1p(Math.exp(-Math.abs(v)));
  }
  const { value, factor } = reduce(per, input.shape, reduction);
  if (!needsGrad(input, target)) return value;
  return record(value, 'bceWithLogitsLoss', [input, target], (g) => {
    const gi = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      const s = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
      gi[i] = (s - y[i]) * factor * upstream(g, i, reduction);
    }
    if (target.requiresGrad) {
      const gt = new Float32Array(x.length);
      for (let i = 0; i < x.length; i++) gt[i] = -x[i] * factor * upstream(g, i, reduction);
      accumulateOwned(target, gt);
    }
    accumulateOwned(input, gi);
  });
}
