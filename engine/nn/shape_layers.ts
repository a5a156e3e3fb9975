import type { Tensor } from '../tensor';
import * as ops from '../ops';
import { Module } from './module';

/** Flattens dimensions startDim..endDim (by default all but the batch dimension). */
export class Flatten extends Module {
  constructor(readonly startDim = 1, readonly endDim = -1) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return ops.flatten(x, this.startDim, this.endDim);
  }
  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

export class Identity extends Module {
  override forward(x: Tensor): Tensor {
    return x;
  }
}

/** Randomly zeroes inputs with probability p while training; the identity in eval mode. */
export class Dropout extends Module {
  constructor(readonly p = 0.5) {
    super();
    if (!(p >= 0 && p <= 1)) throw new Error(`Dropout: probability must be in [0, 1], got ${p}`);
  }
  override forward(x: Tensor): Tensor {
    return ops.dropout(x, this.p, this.training);
  }
  override extraRepr(): string {
    return `p=${this.p}, inplace=False`;
  }
}
