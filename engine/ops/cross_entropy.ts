import { Tensor } from '../tensor_core';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { gradArray } from '../buffer_pool';
import { formatShape, shapesEqual } from '../shape';
import { classTargets } from './class_targets';
import type { Reduction } from './loss_common';

/**
 * Cross-entropy on raw logits [N, C]: a stable log-softmax and NLL fused into one node, with the classic
 * gradient softmax(x) - onehot(y). Targets are class indices [N], or class probabilities of the input's shape.
 */
export function crossEntropy(input: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor {
  const soft = shapesEqual(input.shape, target.shape) && input.shape.length === 2;
  const n = input.shape.length === 1 ? 1 : input.shape[0];
  const c = input.shape[input.shape.length - 1];
  const labels = soft ? null : classTargets('CrossEntropyLoss', input, target).labels;
  if (input.shape.length !== 1 && input.shape.length !== 2) {
    throw new Error(`CrossEntropyLoss: input must have shape [N, C], got ${formatShape(input.shape)}`);
  }
  const x = input.data;
  const probs = new Float32Array(x.length);
  const per = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const row = i * c;
    let m = -Infinity;
    for (let j = 0; j < c; j++) m = Math.max(m, x[row + j]);
    let z = 0;
    for (let j = 0; j < c; j++) {
      const e = Math.exp(x[row + j] - m);
      probs[row + j] = e;
      z += e;
    }
    const lse = m + Math.log(z);
    for (let j = 0; j < c; j++) probs[row + j] /= z;
    if (labels !== null) per[i] = lse - x[row + labels[i]];
    else {
      let l = 0;
      for (let j = 0; j < c; j++) l -= target.data[row + j] * (x[row + j] - lse);
      per[i] = l;
    }
  }
  const factor = reduction === 'mean' ? 1 / n : 1;
  let value: Tensor;
  if (reduction === 'none') value = new Tensor(per, input.shape.length === 1 ? [] : [n]);
  else value = new Tensor(new Float32Array([per.reduce((s, v) => s + v, 0) * factor]), []);
  if (!needsGrad(input)) return value;
  return record(value, 'crossEntropy', [input], (g) => {
    const gi = gradArray(x.length);
    for (let i = 0; i < n; i++) {
      const up = factor * (reduction === 'none' ? g[i] : g[0]);
      const row = i * c;
      // Soft targets need not sum to one: d/dx of -sum(t * logsoftmax(x)) is softmax(x) * sum(t) - t.
      let mass = 1;
      if (labels === null) {
        mass = 0;
        for (let j = 0; j < c; j++) mass += target.data[row + j];
      }
      for (let j = 0; j < c; j++) {
        const t = labels !== null ? (j === labels[i] ? 1 : 0) : target.data[row + j];
        gi[row + j] = (probs[row + j] * mass - t) * up;
      }
    }
    accumulateOwned(input, gi);
  });
}
