import type { Tensor } from '../tensor';
import { zeros } from '../creation';
import { linear } from '../ops';
import { Module } from './module';
import { Parameter } from './parameter';
import { kaimingUniform_, uniform_ } from './init';

/** y = x·Wᵀ + b with weight [outFeatures, inFeatures] and PyTorch's default initialisation. */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, options: { bias?: boolean } = {}) {
    super();
    for (const [what, v] of [
      ['inFeatures', inFeatures],
      ['outFeatures', outFeatures],
    ] as const) {
      if (!Number.isInteger(v) || v <= 0) throw new Error(`Linear: ${what} must be a positive integer, got ${v}`);
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = new Parameter(zeros([outFeatures, inFeatures]));
    this.bias = options.bias === false ? null : new Parameter(zeros([outFeatures]));
    this.resetParameters();
  }

  /** kaiming_uniform(a=√5) for the weight, U(±1/√fan_in) for the bias: PyTorch's reset_parameters. */
  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias !== null) {
      const bound = 1 / Math.sqrt(this.inFeatures);
      uniform_(this.bias, -bound, bound);
    }
  }

  override forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias !== null ? 'True' : 'False'}`;
  }
}
