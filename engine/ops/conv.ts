import { Tensor } from '../tensor_core';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { forwardArray, gradArray } from '../buffer_pool';
import { formatShape } from '../shape';
import type { ConvGeometry } from '../kernels/im2col';
import { conv2dBackward, conv2dForwardInto, type ConvProblem } from '../kernels/conv2d';
import { convOutSize, expectRank, pair, type Pair } from './window';
import { reshape } from './reshape';

export interface Conv2dOptions {
  stride?: Pair;
  padding?: Pair | 'same' | 'valid';
  dilation?: Pair;
  groups?: number;
}

export interface Conv1dOptions {
  stride?: number;
  padding?: number | 'same' | 'valid';
  dilation?: number;
  groups?: number;
}

/**
 * PyTorch's F.conv2d on [N, C, H, W] with weight [O, C/groups, kh, kw]: per group, im2col of the batch
 * side by side and one product `weight @ cols` on the SIMD GEMM (threaded when large). Backward: the input
 * gradient is col2im(weightᵀ @ gradOut), the weight gradient gradOut @ colsᵀ, each one product too. The
 * arithmetic is in engine/kernels/conv2d.ts (WebAssembly, with a TypeScript reference); this op checks
 * the shapes and records the gradients.
 */
export function conv2d(x: Tensor, weight: Tensor, bias: Tensor | null = null, options: Conv2dOptions = {}): Tensor {
  const op = 'conv2d';
  const [n, c, h, w] = expectRank(op, x, 4, '[N, C, H, W]');
  const [o, cg, kh, kw] = expectRank(op, weight, 4, '[outChannels, inChannels/groups, kH, kW]');
  const groups = options.groups ?? 1;
  checkGroups(op, groups, c, o, cg, x, weight);
  if (bias !== null && (bias.shape.length !== 1 || bias.shape[0] !== o)) {
    throw new Error(`${op}: bias of shape ${formatShape(bias.shape)} does not match ${o} output channels`);
  }
  const [sh, sw] = pair(op, 'stride', options.stride ?? 1, 1);
  const [dh, dw] = pair(op, 'dilation', options.dilation ?? 1, 1);
  const pad = options.padding ?? 0;
  let ph: number, pw: number, padH: number, padW: number;
  if (pad === 'same') {
    if (sh !== 1 || sw !== 1) throw new Error(`${op}: padding='same' needs stride 1, got stride ${formatShape([sh, sw])}`);
    // PyTorch pads the total d*(k-1) with the odd one out after (bottom/right).
    padH = dh * (kh - 1);
    padW = dw * (kw - 1);
    ph = Math.floor(padH / 2);
    pw = Math.floor(padW / 2);
  } else if (pad === 'valid') {
    ph = pw = padH = padW = 0;
  } else {
    [ph, pw] = pair(op, 'padding', pad, 0);
    padH = 2 * ph;
    padW = 2 * pw;
  }
  const outH = convOutSize(op, 'height', h, kh, sh, padH, dh);
  const outW = convOutSize(op, 'width', w, kw, sw, padW, dw);
  const geo: ConvGeometry = { channels: cg, height: h, width: w, kh, kw, sh, sw, ph, pw, dh, dw, outH, outW };
  return convolve(op, x, weight, bias, n, groups, o, geo);
}

/** PyTorch's F.conv1d on [N, C, L] with weight [O, C/groups, k]: a conv2d over a height of one. */
export function conv1d(x: Tensor, weight: Tensor, bias: Tensor | null = null, options: Conv1dOptions = {}): Tensor {
  const op = 'conv1d';
  const [n, c, l] = expectRank(op, x, 3, '[N, C, L]');
  const [o, cg, k] = expectRank(op, weight, 3, '[outChannels, inChannels/groups, k]');
  const pad = options.padding ?? 0;
  const y = conv2d(reshape(x, [n, c, 1, l]), reshape(weight, [o, cg, 1, k]), bias, {
    stride: [1, options.stride ?? 1],
    padding: typeof pad === 'string' ? pad : [0, pad],
    dilation: [1, options.dilation ?? 1],
    groups: options.groups ?? 1,
  });
  return reshape(y, [n, o, y.shape[3]]);
}

export function checkGroups(op: string, groups: number, c: number, o: number, cg: number, x: Tensor, weight: Tensor): void {
  if (!Number.isInteger(groups) || groups < 1) throw new Error(`${op}: groups must be a positive integer, got ${groups}`);
  if (c % groups !== 0 || o % groups !== 0) {
    throw new Error(`${op}: ${c} input and ${o} output channels must both be divisible by groups=${groups}`);
  }
  if (cg * groups !== c) {
    throw new Error(
      `${op}: input of shape ${formatShape(x.shape)} has ${c} channels, but weight ${formatShape(weight.shape)} expects ${cg * groups} (${cg} per group x ${groups} groups)`,
    );
  }
}

function convolve(op: string, x: Tensor, weight: Tensor, bias: Tensor | null, n: number, groups: number, o: number, geo: ConvGeometry): Tensor {
  const l = geo.outH * geo.outW;
  const problem: ConvProblem = { n, groups, o, geo };
  const xd = x.data;
  const wd = weight.data;
  const out = forwardArray(n * o * l);
  conv2dForwardInto(out, xd, wd, problem);
  if (bias !== null) addChannelBias(out, bias.data, n, o, l);
  const r = new Tensor(out, [n, o, geo.outH, geo.outW]);
  if (!needsGrad(x, weight, bias ?? undefined)) return r;
  return record(r, op, bias === null ? [x, weight] : [x, weight, bias], (gOut) => {
    const gx = x.requiresGrad ? gradArray(xd.length) : null;
    const gw = weight.requiresGrad ? gradArray(wd.length) : null;
    if (gx !== null || gw !== null) conv2dBackward(gOut, xd, wd, problem, gx, gw);
    if (gx !== null) accumulateOwned(x, gx);
    if (gw !== null) accumulateOwned(weight, gw);
    if (bias !== null && bias.requiresGrad) accumulateOwned(bias, channelSums(gOut, n, o, l));
  });
}

/** out[s, c, :] += bias[c] for a [N, C, L] buffer. */
export function addChannelBias(out: Float32Array, bias: Float32Array, n: number, c: number, l: number): void {
  for (let s = 0, p = 0; s < n; s++) {
    for (let ch = 0; ch < c; ch++) {
      const b = bias[ch];
      for (let i = 0; i < l; i++, p++) out[p] += b;
    }
  }
}

/** The bias gradient: g summed over samples and positions, per channel of a [N, C, L] buffer. */
export function channelSums(g: Float32Array, n: number, c: number, l: number): Float32Array {
  const sums = new Float64Array(c);
  for (let s = 0, p = 0; s < n; s++) {
    for (let ch = 0; ch < c; ch++) {
      let acc = 0;
      for (let i = 0; i < l; i++, p++) acc += g[p];
      sums[ch] += acc;
    }
  }
  const gb = gradArray(c);
  for (let ch = 0; ch < c; ch++) gb[ch] = sums[ch];
  return gb;
}
