import type { Tensor } from '../tensor';
import * as ops from '../ops';
import { Module } from './module';

export class ReLU extends Module {
  override forward(x: Tensor): Tensor {
    return ops.relu(x);
  }
}

export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return ops.leakyRelu(x, this.negativeSlope);
  }
  override extraRepr(): string {
    return `negative_slope=${this.negativeSlope}`;
  }
}

export class Tanh extends Module {
  override forward(x: Tensor): Tensor {
    return ops.tanh(x);
  }
}

export class Sigmoid extends Module {
  override forward(x: Tensor): Tensor {
    return ops.sigmoid(x);
  }
}

export class GELU extends Module {
  override forward(x: Tensor): Tensor {
    return ops.gelu(x);
  }
  override extraRepr(): string {
    return "approximate='none'";
  }
}

export class Softmax extends Module {
  constructor(readonly dim: number) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return ops.softmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

export class LogSoftmax extends Module {
  constructor(readonly dim: number) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return ops.logSoftmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** The binary threshold unit of the tutorials: 1 where x >= 0, else 0 (no gradient). Not in torch.nn. */
export class Step extends Module {
  override forward(x: Tensor): Tensor {
    return ops.step(x);
  }
}
