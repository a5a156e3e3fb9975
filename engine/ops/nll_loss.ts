import { Tensor } from '../tensor_core';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { gradArray } from '../buffer_pool';
import { classTargets } from './class_targets';
import type { Reduction } from './loss_common';

/** Negative log-likelihood of class indices, given log-probabilities [N, C] (e.g. from LogSoftmax). */
export function nllLoss(input: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor {
  const { n, c, labels } = classTargets('NLLLoss', input, target);
  const x = input.data;
  const per = new Float32Array(n);
  for (let i = 0; i < n; i++) per[i] = -x[i * c + labels[i]];
  const factor = reduction === 'mean' ? 1 / n : 1;
  let value: Tensor;
  if (reduction === 'none') value = new Tensor(per, input.shape.length === 1 ? [] : [n]);
  else value = new Tensor(new Float32Array([per.reduce((s, v) => s + v, 0) * factor]), []);
  if (!needsGrad(input)) return value;
  return record(value, 'nllLoss', [input], (g) => {
    const gi = gradArray(x.length);
    for (let i = 0; i < n; i++) gi[i * c + labels[i]] = -factor * (reduction === 'none' ? g[i] : g[0]);
    accumulateOwned(input, gi);
  });
}
