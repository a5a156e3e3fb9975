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

export class MSELoss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return ops.mseLoss(input, target, this.reduction);
  }
}

export class L1Loss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return ops.l1Loss(input, target, this.reduction);
  }
}

export class BCELoss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return ops.bceLoss(input, target, this.reduction);
  }
}

export class BCEWithLogitsLoss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return ops.bceWithLogitsLoss(input, target, this.reduction);
  }
}

export class CrossEntropyLoss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return ops.crossEntropy(input, target, this.reduction);
  }
}

export class NLLLoss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return ops.nllLoss(input, target, this.reduction);
  }
}
