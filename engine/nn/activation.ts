import type { Tensor } from '../tensor';
import * as ops from '../ops';
import { full } from '../creation';
import { Module } from './module';
import { Parameter } from './parameter';

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

/** x * sigmoid(x), also called swish. */
export class SiLU extends Module {
  override forward(x: Tensor): Tensor {
    return ops.silu(x);
  }
}

/** min(max(x, 0), 6). */
export class ReLU6 extends Module {
  override forward(x: Tensor): Tensor {
    return ops.relu6(x);
  }
}

export class ELU extends Module {
  constructor(readonly alpha = 1) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return ops.elu(x, this.alpha);
  }
  override extraRepr(): string {
    return `alpha=${this.alpha}`;
  }
}

/** log(1 + e^(beta*x)) / beta, linear above the threshold. */
export class Softplus extends Module {
  constructor(
    readonly beta = 1,
    readonly threshold = 20,
  ) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return ops.softplus(x, this.beta, this.threshold);
  }
  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}

/** x * relu6(x + 3) / 6, MobileNetV3's cheap swish. */
export class Hardswish extends Module {
  override forward(x: Tensor): Tensor {
    return ops.hardswish(x);
  }
}

/** relu6(x + 3) / 6, the gate of MobileNetV3's squeeze-and-excitation blocks. */
export class Hardsigmoid extends Module {
  override forward(x: Tensor): Tensor {
    return ops.hardsigmoid(x);
  }
}

/** x * tanh(softplus(x)). */
export class Mish extends Module {
  override forward(x: Tensor): Tensor {
    return ops.mish(x);
  }
}

/** Leaky ReLU with a learned slope: one for all channels, or one per channel (dimension 1). */
export class PReLU extends Module {
  readonly numParameters: number;
  weight: Parameter;

  constructor(numParameters = 1, init = 0.25) {
    super();
    if (!Number.isInteger(numParameters) || numParameters <= 0)
      throw new Error(`PReLU: numParameters must be a positive integer, got ${numParameters}`);
    this.numParameters = numParameters;
    this.weight = new Parameter(full([numParameters], init));
  }
  override forward(x: Tensor): Tensor {
    return ops.prelu(x, this.weight);
  }
  override extraRepr(): string {
    return `num_parameters=${this.numParameters}`;
  }
}
