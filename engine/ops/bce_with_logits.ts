import { Tensor } from '../tensor_core';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { gradArray } from '../buffer_pool';
import { bceWithLogitsBackwardInto, bceWithLogitsSum } from '../kernels/small';
import { expNonPositive, log1pUnit } from './fastmath';
import { checkSameShape, perElementBuffer, reduce, type Reduction } from './loss_common';

/** Below this many values the JavaScript loops beat copying into wasm memory and back. */
const WASM_MIN = 16;

/**
 * Sigmoid + binary cross-entropy in one stable formula: max(x, 0) - x*y + log(1 + exp(-|x|)),
 * finite for any logit, with gradient sigmoid(x) - y.
 *
 * From 16 values both passes run in wasm (engine/kernels/small.ts): exp and log1p in float32 SIMD lanes,
 * the rest in float64, within 3 float32 ulps of float64. The backward pass recomputes exp(-|x|) there
 * rather than keeping an array of it alive from the forward pass (cheaper than allocating one per step).
 */
export function bceWithLogitsLoss(input: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor {
  checkSameShape('BCEWithLogitsLoss', input, target);
  const x = input.data;
  const y = target.data;
  const n = x.length;
  let value: Tensor;
  let factor: number;
  let e: Float32Array | null = null;
  const perNone = reduction === 'none' ? new Float32Array(n) : null;
  const sum = n >= WASM_MIN ? bceWithLogitsSum(x, y, perNone) : null;
  if (sum !== null) {
    factor = reduction === 'mean' ? 1 / n : 1;
    value = perNone !== null ? new Tensor(perNone, input.shape) : new Tensor(new Float32Array([sum * factor]), []);
  } else {
    const per = perNone ?? perElementBuffer(n, reduction);
    // exp(-|x|) is kept for the backward pass, which gets sigmoid(x) from it without another exp.
    e = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const v = x[i];
      const ev = expNonPositive(-Math.abs(v));
      e[i] = ev;
      per[i] = (v > 0 ? v : 0) - v * y[i] + log1pUnit(ev);
    }
    ({ value, factor } = reduce(per, input.shape, reduction));
  }
  if (!needsGrad(input, target)) return value;
  return record(value, 'bceWithLogitsLoss', [input, target], (g) => bceWithLogitsBackward(input, target, reduction, factor, e, g));
}

function bceWithLogitsBackward(input: Tensor, target: Tensor, reduction: Reduction, factor: number, e: Float32Array | null, g: Float32Array): void {
  const x = input.data;
  const y = target.data;
  // The upstream gradient: one number for a reduced loss, one per element for reduction 'none'.
  const perElement = reduction === 'none';
  const scalar = g[0];
  if (target.requiresGrad) {
    const gt = gradArray(x.length);
    for (let i = 0; i < x.length; i++) gt[i] = -x[i] * factor * (perElement ? g[i] : scalar);
    accumulateOwned(target, gt);
  }
  if (!input.requiresGrad) return;
  const gi = gradArray(x.length);
  if (e === null && bceWithLogitsBackwardInto(gi, x, y, perElement ? g : null, factor, scalar)) {
    accumulateOwned(input, gi);
    return;
  }
  for (let i = 0; i < x.length; i++) {
    const ei = e !== null ? e[i] : Math.fround(expNonPositive(-Math.abs(x[i])));
    const s = x[i] >= 0 ? 1 / (1 + ei) : ei / (1 + ei);
    gi[i] = (s - y[i]) * factor * (perElement ? g[i] : scalar);
  }
  accumulateOwned(input, gi);
}
