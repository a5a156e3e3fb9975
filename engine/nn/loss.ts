import type { Tensor } from '../tensor';
import * as ops from '../ops';
import type { Reduction } from '../ops';
import { Module } from './module';

export interface LossOptions {
  reduction?: Reduction;
}

/** Base of the loss modules: `forward(input, target)` returns the (reduced) loss. */
export abstract class Loss extends Module {
  readonly reduction: Reduction;
  constructor(options: LossOptions = {}) {
    super();
    this.reduction = options.reduction ?? 'mean';
  }
  abstract override forward(input: Tensor, target: Tensor): Tensor;
  override extraRepr(): string {
    return this.reduction === 'mean' ? '' : `reduction='${this.reduction}'`;
  }
}

type LossOp = (input: Tensor, target: Tensor, reduction: Reduction) => Tensor;

/**
 * A loss module whose forward is `op` under the module's reduction. Its return type is written out: a
 * declaration file cannot spell an anonymous subclass of Module (it has private members).
 */
function lossOf(op: LossOp): new (options?: LossOptions) => Loss & { forward(input: Tensor, target: Tensor): Tensor } {
  return class extends Loss {
    override forward(input: Tensor, target: Tensor): Tensor {
      return op(input, target, this.reduction);
    }
  };
}

export class MSELoss extends lossOf(ops.mseLoss) {}
export class L1Loss extends lossOf(ops.l1Loss) {}
export class BCELoss extends lossOf(ops.bceLoss) {}
export class BCEWithLogitsLoss extends lossOf(ops.bceWithLogitsLoss) {}
export class CrossEntropyLoss extends lossOf(ops.crossEntropy) {}
export class NLLLoss extends lossOf(ops.nllLoss) {}
