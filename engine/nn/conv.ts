import type { Tensor } from '../tensor';
import { zeros } from '../creation';
import { conv1d, conv2d, convTranspose2d } from '../ops';
import { pair, type Pair } from '../ops/window';
import { Module } from './module';
import { Parameter } from './parameter';
import { calculateFanInAndFanOut, kaimingUniform_, uniform_ } from './init';

export interface Conv2dOptions {
  stride?: Pair;
  padding?: Pair | 'same' | 'valid';
  dilation?: Pair;
  groups?: number;
  bias?: boolean;
}

export interface Conv1dOptions {
  stride?: number;
  padding?: number | 'same' | 'valid';
  dilation?: number;
  groups?: number;
  bias?: boolean;
}

export interface ConvTranspose2dOptions {
  stride?: Pair;
  padding?: Pair;
  outputPadding?: Pair;
  groups?: number;
  bias?: boolean;
  dilation?: Pair;
}

/** A PyTorch-style tuple for printing: (5, 5) or (2,). */
function tuple(v: readonly number[]): string {
  return v.length === 1 ? `(${v[0]},)` : `(${v.join(', ')})`;
}

function checkChannels(layer: string, inChannels: number, outChannels: number, groups: number): void {
  for (const [what, v] of [
    ['inChannels', inChannels],
    ['outChannels', outChannels],
    ['groups', groups],
  ] as const) {
    if (!Number.isInteger(v) || v <= 0) throw new Error(`${layer}: ${what} must be a positive integer, got ${v}`);
  }
  if (inChannels % groups !== 0 || outChannels % groups !== 0) {
    throw new Error(`${layer}: inChannels ${inChannels} and outChannels ${outChannels} must both be divisible by groups=${groups}`);
  }
}

/** kaiming_uniform(a=√5) for the weight, U(±1/√fan_in) for the bias: PyTorch's _ConvNd.reset_parameters. */
function resetConv(weight: Parameter, bias: Parameter | null): void {
  kaimingUniform_(weight, { a: Math.sqrt(5) });
  if (bias !== null) {
    const [fanIn] = calculateFanInAndFanOut(weight);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    uniform_(bias, -bound, bound);
  }
}

/** The arguments PyTorch's _ConvNd.extra_repr prints, in its order and only when not the default. */
function convRepr(
  inC: number,
  outC: number,
  k: number[],
  s: number[],
  p: number[] | string,
  d: number[],
  op: number[] | null,
  groups: number,
  bias: boolean,
): string {
  let r = `${inC}, ${outC}, kernel_size=${tuple(k)}, stride=${tuple(s)}`;
  if (typeof p === 'string') r += `, padding=${p}`;
  else if (p.some((v) => v !== 0)) r += `, padding=${tuple(p)}`;
  if (d.some((v) => v !== 1)) r += `, dilation=${tuple(d)}`;
  if (op !== null && op.some((v) => v !== 0)) r += `, output_padding=${tuple(op)}`;
  if (groups !== 1) r += `, groups=${groups}`;
  if (!bias) r += ', bias=False';
  return r;
}

/**
 * What every convolution holds, as PyTorch's _ConvNd: the checked channel counts and groups, the weight
 * (`kernel`: its trailing dimensions; a transposed convolution's weight starts with inChannels) and the
 * bias, and their initialisation. The subclasses add their geometry.
 */
abstract class ConvNd extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly groups: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(
    layer: string,
    inChannels: number,
    outChannels: number,
    kernel: readonly number[],
    transposed: boolean,
    options: { groups?: number; bias?: boolean },
  ) {
    super();
    const groups = options.groups ?? 1;
    checkChannels(layer, inChannels, outChannels, groups);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.groups = groups;
    const [lead, perGroup] = transposed ? [inChannels, outChannels / groups] : [outChannels, inChannels / groups];
    this.weight = new Parameter(zeros([lead, perGroup, ...kernel]));
    this.bias = options.bias === false ? null : new Parameter(zeros([outChannels]));
    this.resetParameters();
  }

  resetParameters(): void {
    resetConv(this.weight, this.bias);
  }
}

/** 2-D convolution over [N, C, H, W], weight [outChannels, inChannels/groups, kH, kW]. */
export class Conv2d extends ConvNd {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number] | 'same' | 'valid';
  readonly dilation: [number, number];

  constructor(inChannels: number, outChannels: number, kernelSize: Pair, options: Conv2dOptions = {}) {
    const kernel = pair('Conv2d', 'kernelSize', kernelSize, 1);
    super('Conv2d', inChannels, outChannels, kernel, false, options);
    this.kernelSize = kernel;
    this.stride = pair('Conv2d', 'stride', options.stride ?? 1, 1);
    const p = options.padding ?? 0;
    this.padding = p === 'same' || p === 'valid' ? p : pair('Conv2d', 'padding', p, 0);
    if (p === 'same' && (this.stride[0] !== 1 || this.stride[1] !== 1)) throw new Error("Conv2d: padding='same' needs stride 1");
    this.dilation = pair('Conv2d', 'dilation', options.dilation ?? 1, 1);
  }

  override forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }

  override extraRepr(): string {
    return convRepr(
      this.inChannels,
      this.outChannels,
      this.kernelSize,
      this.stride,
      this.padding,
      this.dilation,
      null,
      this.groups,
      this.bias !== null,
    );
  }
}

/** 1-D convolution over [N, C, L], weight [outChannels, inChannels/groups, k]. */
export class Conv1d extends ConvNd {
  readonly kernelSize: number;
  readonly stride: number;
  readonly padding: number | 'same' | 'valid';
  readonly dilation: number;

  constructor(inChannels: number, outChannels: number, kernelSize: number, options: Conv1dOptions = {}) {
    const kernel = pair('Conv1d', 'kernelSize', kernelSize, 1)[0];
    super('Conv1d', inChannels, outChannels, [kernel], false, options);
    this.kernelSize = kernel;
    this.stride = pair('Conv1d', 'stride', options.stride ?? 1, 1)[0];
    const p = options.padding ?? 0;
    this.padding = p === 'same' || p === 'valid' ? p : pair('Conv1d', 'padding', p, 0)[0];
    if (p === 'same' && this.stride !== 1) throw new Error("Conv1d: padding='same' needs stride 1");
    this.dilation = pair('Conv1d', 'dilation', options.dilation ?? 1, 1)[0];
  }

  override forward(x: Tensor): Tensor {
    return conv1d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }

  override extraRepr(): string {
    const p = typeof this.padding === 'string' ? this.padding : [this.padding];
    return convRepr(this.inChannels, this.outChannels, [this.kernelSize], [this.stride], p, [this.dilation], null, this.groups, this.bias !== null);
  }
}

/** Transposed 2-D convolution (the gradient of Conv2d), weight [inChannels, outChannels/groups, kH, kW]. */
export class ConvTranspose2d extends ConvNd {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly outputPadding: [number, number];
  readonly dilation: [number, number];

  constructor(inChannels: number, outChannels: number, kernelSize: Pair, options: ConvTranspose2dOptions = {}) {
    const kernel = pair('ConvTranspose2d', 'kernelSize', kernelSize, 1);
    super('ConvTranspose2d', inChannels, outChannels, kernel, true, options);
    this.kernelSize = kernel;
    this.stride = pair('ConvTranspose2d', 'stride', options.stride ?? 1, 1);
    this.padding = pair('ConvTranspose2d', 'padding', options.padding ?? 0, 0);
    this.outputPadding = pair('ConvTranspose2d', 'outputPadding', options.outputPadding ?? 0, 0);
    this.dilation = pair('ConvTranspose2d', 'dilation', options.dilation ?? 1, 1);
  }

  override forward(x: Tensor): Tensor {
    return convTranspose2d(x, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      outputPadding: this.outputPadding,
      groups: this.groups,
      dilation: this.dilation,
    });
  }

  override extraRepr(): string {
    return convRepr(
      this.inChannels,
      this.outChannels,
      this.kernelSize,
      this.stride,
      this.padding,
      this.dilation,
      this.outputPadding,
      this.groups,
      this.bias !== null,
    );
  }
}
