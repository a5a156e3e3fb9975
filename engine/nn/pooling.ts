import type { Tensor } from '../tensor';
import { adaptiveAvgPool2d, adaptiveMaxPool2d, avgPool2d, maxPool1d, maxPool2d, type AvgPool2dOptions, type MaxPoolOptions } from '../ops';
import { pair, type Pair } from '../ops/window';
import { Module } from './module';

export type { MaxPoolOptions, AvgPool2dOptions } from '../ops';

/** Python's spelling of an int-or-pair argument, as PyTorch's extra_repr prints it. */
function py(v: Pair): string {
  return typeof v === 'number' ? String(v) : `(${v[0]}, ${v[1]})`;
}

const bool = (b: boolean): string => (b ? 'True' : 'False');

/**
 * Max over sliding windows, P: number over [N, C, L] (1-D) or Pair over [N, C, H, W] (2-D); stride
 * defaults to the kernel size. The extra repr is PyTorch's, which prints an int as the int.
 */
abstract class MaxPoolNd<P extends Pair> extends Module {
  readonly kernelSize: P;
  readonly stride: P;
  readonly padding: P;
  readonly dilation: P;
  readonly ceilMode: boolean;

  constructor(layer: string, kernelSize: P, options: MaxPoolOptions<P>) {
    super();
    pair(layer, 'kernelSize', kernelSize, 1);
    this.kernelSize = kernelSize;
    this.stride = options.stride ?? kernelSize;
    this.padding = options.padding ?? (0 as P);
    this.dilation = options.dilation ?? (1 as P);
    this.ceilMode = options.ceilMode ?? false;
  }

  /** What F.max_pool takes besides the kernel size. */
  protected get window(): Required<MaxPoolOptions<P>> {
    return { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode };
  }

  override extraRepr(): string {
    return `kernel_size=${py(this.kernelSize)}, stride=${py(this.stride)}, padding=${py(this.padding)}, dilation=${py(this.dilation)}, ceil_mode=${bool(this.ceilMode)}`;
  }
}

/** Max over sliding windows of [N, C, H, W]; stride defaults to the kernel size. */
export class MaxPool2d extends MaxPoolNd<Pair> {
  constructor(kernelSize: Pair, options: MaxPoolOptions<Pair> = {}) {
    super('MaxPool2d', kernelSize, options);
  }

  override forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, this.window);
  }
}

/** Max over sliding windows of [N, C, L]. */
export class MaxPool1d extends MaxPoolNd<number> {
  constructor(kernelSize: number, options: MaxPoolOptions<number> = {}) {
    super('MaxPool1d', kernelSize, options);
  }

  override forward(x: Tensor): Tensor {
    return maxPool1d(x, this.kernelSize, this.window);
  }
}

/** Mean over sliding windows of [N, C, H, W]. */
export class AvgPool2d extends Module {
  readonly kernelSize: Pair;
  readonly stride: Pair;
  readonly padding: Pair;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;

  constructor(kernelSize: Pair, options: AvgPool2dOptions = {}) {
    super();
    pair('AvgPool2d', 'kernelSize', kernelSize, 1);
    this.kernelSize = kernelSize;
    this.stride = options.stride ?? kernelSize;
    this.padding = options.padding ?? 0;
    this.ceilMode = options.ceilMode ?? false;
    this.countIncludePad = options.countIncludePad ?? true;
  }

  override forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad,
    });
  }

  override extraRepr(): string {
    return `kernel_size=${py(this.kernelSize)}, stride=${py(this.stride)}, padding=${py(this.padding)}`;
  }
}

/** Average pooling to a fixed output size, whatever the input's; AdaptiveAvgPool2d(1) is global pooling. */
export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: Pair) {
    super();
    pair('AdaptiveAvgPool2d', 'outputSize', outputSize, 1);
  }
  override forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }
  override extraRepr(): string {
    return `output_size=${py(this.outputSize)}`;
  }
}

/** Max pooling to a fixed output size. */
export class AdaptiveMaxPool2d extends Module {
  constructor(readonly outputSize: Pair) {
    super();
    pair('AdaptiveMaxPool2d', 'outputSize', outputSize, 1);
  }
  override forward(x: Tensor): Tensor {
    return adaptiveMaxPool2d(x, this.outputSize);
  }
  override extraRepr(): string {
    return `output_size=${py(this.outputSize)}`;
  }
}
