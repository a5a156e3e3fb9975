import { Tensor } from '../tensor';
import { ones, zeros } from '../creation';
import { batchNorm, groupNorm, layerNorm } from '../ops';
import { formatShape } from '../shape';
import { Module } from './module';
import { Parameter } from './parameter';

export interface BatchNormOptions {
  eps?: number;
  /** null: a cumulative average of all batches seen (PyTorch's momentum=None). */
  momentum?: number | null;
  affine?: boolean;
  trackRunningStats?: boolean;
}

const bool = (b: boolean): string => (b ? 'True' : 'False');

/**
 * PyTorch's _BatchNorm: weight and bias per channel, buffers running_mean, running_var and an int64
 * num_batches_tracked (saved as I64 so PyTorch's load_state_dict accepts it). Batch statistics while
 * training, the running ones in eval(); without trackRunningStats always the batch's.
 */
abstract class BatchNormBase extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  weight: Parameter | null;
  bias: Parameter | null;
  declare running_mean: Tensor | null;
  declare running_var: Tensor | null;
  declare num_batches_tracked: Tensor | null;

  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super();
    const name = this.constructor.name;
    if (!Number.isInteger(numFeatures) || numFeatures <= 0) throw new Error(`${name}: numFeatures must be a positive integer, got ${numFeatures}`);
    this.numFeatures = numFeatures;
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum === undefined ? 0.1 : options.momentum;
    this.affine = options.affine ?? true;
    this.trackRunningStats = options.trackRunningStats ?? true;
    this.weight = this.affine ? new Parameter(ones([numFeatures])) : null;
    this.bias = this.affine ? new Parameter(zeros([numFeatures])) : null;
    if (this.trackRunningStats) {
      this.registerBuffer('running_mean', zeros([numFeatures]));
      this.registerBuffer('running_var', ones([numFeatures]));
      const count = zeros([]);
      count.dtype = 'int64';
      this.registerBuffer('num_batches_tracked', count);
    } else {
      this.running_mean = null;
      this.running_var = null;
      this.num_batches_tracked = null;
    }
  }

  /** The input ranks this layer accepts, for its error message. */
  protected abstract checkInput(x: Tensor): void;

  override forward(x: Tensor): Tensor {
    this.checkInput(x);
    let factor = this.momentum ?? 0;
    if (this.training && this.trackRunningStats && this.num_batches_tracked !== null) {
      this.num_batches_tracked.data[0] += 1;
      if (this.momentum === null) factor = 1 / this.num_batches_tracked.data[0];
    }
    const useBatch = this.training || (this.running_mean === null && this.running_var === null);
    const keepStats = !this.training || this.trackRunningStats;
    return batchNorm(
      x,
      keepStats ? this.running_mean : null,
      keepStats ? this.running_var : null,
      this.weight,
      this.bias,
      useBatch,
      factor,
      this.eps,
    );
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum === null ? 'None' : this.momentum}, affine=${bool(this.affine)}, track_running_stats=${bool(this.trackRunningStats)}`;
  }
}

/** Batch normalization over [N, C] or [N, C, L]. */
export class BatchNorm1d extends BatchNormBase {
  protected override checkInput(x: Tensor): void {
    if (x.shape.length !== 2 && x.shape.length !== 3)
      throw new Error(`BatchNorm1d: expects input of shape [N, C] or [N, C, L], got ${formatShape(x.shape)}`);
  }
}

/** Batch normalization over [N, C, H, W]. */
export class BatchNorm2d extends BatchNormBase {
  protected override checkInput(x: Tensor): void {
    if (x.shape.length !== 4) throw new Error(`BatchNorm2d: expects input of shape [N, C, H, W], got ${formatShape(x.shape)}`);
  }
}

/** Normalization over the trailing normalizedShape dimensions of each sample, with a per-position affine map. */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(normalizedShape: number | number[], options: { eps?: number; elementwiseAffine?: boolean } = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : normalizedShape.slice();
    if (this.normalizedShape.length === 0 || this.normalizedShape.some((d) => !Number.isInteger(d) || d <= 0)) {
      throw new Error(`LayerNorm: normalizedShape must be positive integers, got ${JSON.stringify(normalizedShape)}`);
    }
    this.eps = options.eps ?? 1e-5;
    this.elementwiseAffine = options.elementwiseAffine ?? true;
    this.weight = this.elementwiseAffine ? new Parameter(ones(this.normalizedShape)) : null;
    this.bias = this.elementwiseAffine ? new Parameter(zeros(this.normalizedShape)) : null;
  }

  override forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    const s = this.normalizedShape.length === 1 ? `(${this.normalizedShape[0]},)` : `(${this.normalizedShape.join(', ')})`;
    return `${s}, eps=${this.eps}, elementwise_affine=${bool(this.elementwiseAffine)}`;
  }
}

/** Normalization per sample over groups of channels of [N, C, *], with a per-channel affine map. */
export class GroupNorm extends Module {
  readonly numGroups: number;
  readonly numChannels: number;
  readonly eps: number;
  readonly affine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(numGroups: number, numChannels: number, options: { eps?: number; affine?: boolean } = {}) {
    super();
    if (!Number.isInteger(numGroups) || numGroups <= 0 || !Number.isInteger(numChannels) || numChannels % numGroups !== 0) {
      throw new Error(`GroupNorm: numChannels ${numChannels} must be divisible by numGroups ${numGroups}`);
    }
    this.numGroups = numGroups;
    this.numChannels = numChannels;
    this.eps = options.eps ?? 1e-5;
    this.affine = options.affine ?? true;
    this.weight = this.affine ? new Parameter(ones([numChannels])) : null;
    this.bias = this.affine ? new Parameter(zeros([numChannels])) : null;
  }

  override forward(x: Tensor): Tensor {
    if (x.shape.length < 2 || x.shape[1] !== this.numChannels) {
      throw new Error(`GroupNorm: expects input of shape [N, ${this.numChannels}, *], got ${formatShape(x.shape)}`);
    }
    return groupNorm(x, this.numGroups, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${this.eps}, affine=${bool(this.affine)}`;
  }
}
