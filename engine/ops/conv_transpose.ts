import { Tensor } from '../tensor_core';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { gradArray } from '../buffer_pool';
import { formatShape } from '../shape';
import { matmulInto } from '../kernels/matmul';
import { col2im, im2col, type ConvGeometry } from '../kernels/im2col';
import { expectRank, pair, type Pair } from './window';
import { addChannelBias, channelSums } from './conv';

export interface ConvTranspose2dOptions {
  stride?: Pair;
  padding?: Pair;
  outputPadding?: Pair;
  groups?: number;
  dilation?: Pair;
}

/**
 * PyTorch's F.conv_transpose2d on [N, Cin, H, W] with weight [Cin, Cout/groups, kh, kw]: the adjoint of
 * conv2d, so the same two kernels swap roles. Forward: col2im(weightᵀ @ x); backward: the input gradient
 * is weight @ im2col(gradOut), the weight gradient x @ im2col(gradOut)ᵀ.
 */
export function convTranspose2d(x: Tensor, weight: Tensor, bias: Tensor | null = null, options: ConvTranspose2dOptions = {}): Tensor {
  const op = 'convTranspose2d';
  const [n, c, h, w] = expectRank(op, x, 4, '[N, C, H, W]');
  const [wc, og, kh, kw] = expectRank(op, weight, 4, '[inChannels, outChannels/groups, kH, kW]');
  const groups = options.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new Error(`${op}: groups must be a positive integer, got ${groups}`);
  if (wc !== c)
    throw new Error(`${op}: input of shape ${formatShape(x.shape)} has ${c} channels, but weight ${formatShape(weight.shape)} expects ${wc}`);
  if (c % groups !== 0) throw new Error(`${op}: ${c} input channels must be divisible by groups=${groups}`);
  const o = og * groups;
  if (bias !== null && (bias.shape.length !== 1 || bias.shape[0] !== o)) {
    throw new Error(`${op}: bias of shape ${formatShape(bias.shape)} does not match ${o} output channels`);
  }
  const [sh, sw] = pair(op, 'stride', options.stride ?? 1, 1);
  const [ph, pw] = pair(op, 'padding', options.padding ?? 0, 0);
  const [dh, dw] = pair(op, 'dilation', options.dilation ?? 1, 1);
  const [oph, opw] = pair(op, 'outputPadding', options.outputPadding ?? 0, 0);
  if (oph >= Math.max(sh, dh) || opw >= Math.max(sw, dw)) {
    throw new Error(
      `${op}: outputPadding ${formatShape([oph, opw])} must be smaller than stride or dilation (stride ${formatShape([sh, sw])}, dilation ${formatShape([dh, dw])})`,
    );
  }
  const outH = (h - 1) * sh - 2 * ph + dh * (kh - 1) + oph + 1;
  const outW = (w - 1) * sw - 2 * pw + dw * (kw - 1) + opw + 1;
  if (outH <= 0 || outW <= 0) {
    throw new Error(
      `${op}: input ${formatShape(x.shape)} with padding ${formatShape([ph, pw])} gives an output of size ${formatShape([outH, outW])}`,
    );
  }
  const cg = c / groups;
  // The geometry of the convolution this one transposes: it maps [og, outH, outW] to [cg, h, w].
  const geo: ConvGeometry = { channels: og, height: outH, width: outW, kh, kw, sh, sw, ph, pw, dh, dw, outH: h, outW: w };
  const kk = og * kh * kw;
  const l = h * w;
  const inPlane = cg * l;
  const outPlane = og * outH * outW;
  const xd = x.data;
  const wd = weight.data;
  const cols = new Float32Array(kk * l);
  const out = new Float32Array(n * o * outH * outW);
  for (let s = 0; s < n; s++) {
    for (let g = 0; g < groups; g++) {
      const xOff = (s * groups + g) * inPlane;
      matmulInto(cols, wd.subarray(g * cg * kk, (g + 1) * cg * kk), xd.subarray(xOff, xOff + inPlane), kk, cg, l, true, false);
      col2im(cols, geo, out, (s * groups + g) * outPlane);
    }
  }
  if (bias !== null) addChannelBias(out, bias.data, n, o, outH * outW);
  const r = new Tensor(out, [n, o, outH, outW]);
  if (!needsGrad(x, weight, bias ?? undefined)) return r;
  return record(r, op, bias === null ? [x, weight] : [x, weight, bias], (gOut) => {
    const gx = x.requiresGrad ? gradArray(xd.length) : null;
    const gw = weight.requiresGrad ? gradArray(wd.length) : null;
    if (gx !== null || gw !== null) {
      for (let s = 0; s < n; s++) {
        for (let g = 0; g < groups; g++) {
          im2col(gOut, (s * groups + g) * outPlane, geo, cols);
          const xOff = (s * groups + g) * inPlane;
          const wSlice = wd.subarray(g * cg * kk, (g + 1) * cg * kk);
          if (gx !== null) matmulInto(gx.subarray(xOff, xOff + inPlane), wSlice, cols, cg, kk, l);
          if (gw !== null)
            matmulInto(gw.subarray(g * cg * kk, (g + 1) * cg * kk), xd.subarray(xOff, xOff + inPlane), cols, cg, l, kk, false, true, true);
        }
      }
    }
    if (gx !== null) accumulateOwned(x, gx);
    if (gw !== null) accumulateOwned(weight, gw);
    if (bias !== null && bias.requiresGrad) accumulateOwned(bias, channelSums(gOut, n, o, outH * outW));
  });
}
