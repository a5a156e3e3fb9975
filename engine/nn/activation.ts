import type { Tensor } from '../tensor';
import * as ops from '../ops';
import { full } from '../creation';
import { Module } from './module';
import { Parameter } from './parameter';

/**
 * Elementwise activations, one class per catalogue entry (engine/graph/layers/activations.ts), taking its
 * positional arguments. The ones without arguments are their op and nothing else, so one maker writes
 * them; those with arguments keep them as readonly fields under their PyTorch names in the repr. The
 * makers' return types are written out because a declaration file cannot spell an anonymous subclass of
 * Module (it has private members), and the engine package ships declarations.
 */

/** A module whose forward is `op`, with `repr` as its extra representation (PyTorch's, e.g. GELU's). */
function elementwise(op: (x: Tensor) => Tensor, repr = ''): new () => Module & { forward(x: Tensor): Tensor } {
  return class extends Module {
    override forward(x: Tensor): Tensor {
      return op(x);
    }
    override extraRepr(): string {
      return repr;
    }
  };
}

/** A module normalising along `dim` with `op` (softmax and its log). */
function alongDim(op: (x: Tensor, dim: number) => Tensor): new (dim: number) => Module & { forward(x: Tensor): Tensor; readonly dim: number } {
  return class extends Module {
    constructor(readonly dim: number) {
      super();
    }
    override forward(x: Tensor): Tensor {
      return op(x, this.dim);
    }
    override extraRepr(): string {
      return `dim=${this.dim}`;
    }
  };
}

export class ReLU extends elementwise(ops.relu) {}
export class Tanh extends elementwise(ops.tanh) {}
export class Sigmoid extends elementwise(ops.sigmoid) {}
export class GELU extends elementwise(ops.gelu, "approximate='none'") {}
/** The binary threshold unit of the tutorials: 1 where x >= 0, else 0 (no gradient). Not in torch.nn. */
export class Step extends elementwise(ops.step) {}
/** x * sigmoid(x), also called swish. */
export class SiLU extends elementwise(ops.silu) {}
/** min(max(x, 0), 6). */
export class ReLU6 extends elementwise(ops.relu6) {}
/** x * relu6(x + 3) / 6, MobileNetV3's cheap swish. */
export class Hardswish extends elementwise(ops.hardswish) {}
/** relu6(x + 3) / 6, the gate of MobileNetV3's squeeze-and-excitation blocks. */
export class Hardsigmoid extends elementwise(ops.hardsigmoid) {}
/** x * tanh(softplus(x)). */
export class Mish extends elementwise(ops.mish) {}

export class Softmax extends alongDim(ops.softmax) {}
export class LogSoftmax extends alongDim(ops.logSoftmax) {}

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
