import type { Tensor } from '../tensor_core';
import { formatShape } from '../shape';

/**
 * Checks logits/log-probabilities of shape [N, C] (or [C] for one sample) against class-index targets of
 * shape [N] (or []), returning N, C and the targets as integers; errors name the loss, the shapes and the bad value.
 */
export function classTargets(loss: string, input: Tensor, target: Tensor): { n: number; c: number; labels: Int32Array } {
  const single = input.shape.length === 1;
  if (!single && input.shape.length !== 2) {
    throw new Error(`${loss}: input must have shape [N, C] (a row of class scores per sample), got ${formatShape(input.shape)}`);
  }
  const n = single ? 1 : input.shape[0];
  const c = single ? input.shape[0] : input.shape[1];
  const expected = single ? [] : [n];
  if (target.shape.length !== expected.length || (expected.length === 1 && target.shape[0] !== n)) {
    throw new Error(
      `${loss}: target must hold one class index per sample, shape ${formatShape(expected)}, got ${formatShape(target.shape)} for input ${formatShape(input.shape)}`,
    );
  }
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = target.data[i];
    if (!Number.isInteger(v) || v < 0 || v >= c) {
      throw new Error(`${loss}: target ${i} is ${v}, but class indices must be integers in [0, ${c - 1}] for ${c} classes`);
    }
    labels[i] = v;
  }
  return { n, c, labels };
}
