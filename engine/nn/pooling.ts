import type { Tensor } from '../tensor';
import { adaptiveAvgPool2d, adaptiveMaxPool2d, avgPool2d, maxPool1d, maxPool2d } from '../ops';
import { pair, type Pair } from '../ops/window';
import { Module } from './module';

export interface MaxPoolOptions<P> {
  stride?: P | null;
  padding?: P;
  dilation?: P;
  ceilMode?: boolean;
}

export interface AvgPool2dOptions {
  stride?: Pair | null;
  padding?: Pair;
  ceilMode?: boolean;
  countIncludePad?: boolean;
}

/** Python's spelling of an int-or-pair argument, as PyTorch's extra_repr prints it. */
function py(v: Pair): string {
  return typeof v === 'number' ? String(v) : `(${v[0]}, ${v[1]})`;
}

const bool = (b: boolean): string => (b ? 'True' : 'False');

/** Max over sliding windows of [N, C, H, W]; stride defaults to the kernel size. */
export class MaxPool2d extends Module {
  readonly kernelSize: Pair;
  readonly stride: Pair;
  readonly padding: Pair;
  readonly dilation: Pair;
  readonly ceilMode: boolean;

  constructor(kernelSize: Pair, options: MaxPoolOptions<Pair> = {}) {
    super();
    pair('MaxPool2d', 'kernelSize', kernelSize, 1);
    this.kernelSize = kernelSize;
    this.stride = options.stride ?? kernelSize;
    this.padding = options.padding ?? 0;
    this.dilation = options.dilation ?? 1;
    this.ceilMode = options.ceilMode ?? false;
  }

  override forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode });
  }

  override extraRepr(): string {
    return `kernel_size=${py(this.kernelSize)}, stride=${py(this.stride)}, padding=${py(this.padding)}, dilation=${py(this.dilation)}, ceil_mode=${bool(this.ceilMode)}`;
  }
}

/** Max over sliding windows of [N, C, L]. */
export class MaxPool1d extends Module {
  readonly kernelSize: number;
  readonly stride: number;
  readonly padding: number;
  readonly dilation: number;
  readonly ceilMode: boolean;

  constructor(kernelSize: number, options: MaxPoolOptions<number> = {}) {
    super();
    pair('MaxPool1d', 'kernelSize', kernelSize, 1);
    this.kernelSize = kernelSize;
    this.stride = options.stride ?? kernelSize;
    this.padding = options.padding ?? 0;
    this.dilation = options.dilation ?? 1;
    this.ceilMode = options.ceilMode ?? false;
  }

  override forward(x: Tensor): Tensor {
    return maxPool1d(x, this.kernelSize, { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode });
  }

  override extraRepr(): string {
    return `kernel_size=${this.kernelSize}, stride=${this.stride}, padding=${this.padding}, dilation=${this.dilation}, ceil_mode=${bool(this.ceilMode)}`;
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
