/**
 * Batch, layer and group normalization, PyTorch's F.batch_norm, F.layer_norm and F.group_norm. All three
 * normalise x to xhat = (x - mean) / sqrt(var + eps) (biased variance, statistics summed in float64) and
 * then apply a per-channel (or per-position) affine map; they differ only in which values share a mean.
 * Each is one graph node whose backward is the closed form, not a chain of elementwise ops.
 */
import { Tensor } from '../tensor_core';
import { accumulateOwned, needsGradAny, record } from '../autograd';
import { forwardArray, gradArray } from '../buffer_pool';
import { formatShape, shapesEqual, sizeOf } from '../shape';
import { batchNormBackwardInPlace, batchNormForwardInto } from '../kernels/image';
import { channelAffineInto } from '../kernels/elementwise';

/** The element i of a [*, C, S] layout belongs to channel floor(i / S) mod C. */
interface AffineLayout {
  channels: number;
  inner: number;
}

function checkAffine(op: string, what: string, t: Tensor | null, shape: readonly number[]): void {
  if (t !== null && !shapesEqual(t.shape, shape)) {
    throw new Error(`${op}: ${what} of shape ${formatShape(t.shape)} does not match the normalized shape ${formatShape(shape)}`);
  }
}

/** y = xhat * weight[channel] + bias[channel] (either may be null). */
function affine(xhat: Float32Array, weight: Tensor | null, bias: Tensor | null, layout: AffineLayout): Float32Array {
  if (weight === null && bias === null) return xhat.slice();
  const out = new Float32Array(xhat.length);
  const { channels, inner } = layout;
  const wd = weight?.data;
  const bd = bias?.data;
  for (let p = 0; p < xhat.length;) {
    for (let c = 0; c < channels; c++) {
      const wv = wd === undefined ? 1 : wd[c];
      const bv = bd === undefined ? 0 : bd[c];
      for (let i = 0; i < inner; i++, p++) out[p] = xhat[p] * wv + bv;
    }
  }
  return out;
}

/** Backward of the affine map: weight and bias gradients, and g * weight (the gradient of xhat). */
function affineBackward(g: Float32Array, xhat: Float32Array, weight: Tensor | null, bias: Tensor | null, layout: AffineLayout): Float32Array {
  const { channels, inner } = layout;
  const gw = weight !== null && weight.requiresGrad ? new Float64Array(channels) : null;
  const gb = bias !== null && bias.requiresGrad ? new Float64Array(channels) : null;
  const gxhat = gradArray(g.length);
  const wd = weight?.data;
  for (let p = 0; p < g.length;) {
    for (let c = 0; c < channels; c++) {
      const wv = wd === undefined ? 1 : wd[c];
      let sw = 0,
        sb = 0;
      for (let i = 0; i < inner; i++, p++) {
        const gv = g[p];
        sw += gv * xhat[p];
        sb += gv;
        gxhat[p] = gv * wv;
      }
      if (gw !== null) gw[c] += sw;
      if (gb !== null) gb[c] += sb;
    }
  }
  if (gw !== null) accumulateOwned(weight!, Float32Array.from(gw));
  if (gb !== null) accumulateOwned(bias!, Float32Array.from(gb));
  return gxhat;
}

/**
 * Statistics over contiguous rows (layer and group norm): each of `rows` runs of `len` values gets its own
 * mean and 1/std; xhat is written alongside.
 */
function normalizeRows(x: Float32Array, rows: number, len: number, eps: number, xhat: Float32Array, rstd: Float32Array): void {
  for (let r = 0, o = 0; r < rows; r++, o += len) {
    let s = 0;
    for (let i = 0; i < len; i++) s += x[o + i];
    const mean = s / len;
    let v = 0;
    for (let i = 0; i < len; i++) {
      const d = x[o + i] - mean;
      v += d * d;
    }
    const inv = 1 / Math.sqrt(v / len + eps);
    rstd[r] = inv;
    for (let i = 0; i < len; i++) xhat[o + i] = (x[o + i] - mean) * inv;
  }
}

/** dx = rstd/len * (len*gxhat - sum(gxhat) - xhat*sum(gxhat*xhat)) per row, into gx. */
function normalizeRowsBackward(gxhat: Float32Array, xhat: Float32Array, rstd: Float32Array, rows: number, len: number, gx: Float32Array): void {
  for (let r = 0, o = 0; r < rows; r++, o += len) {
    let sg = 0,
      sgx = 0;
    for (let i = 0; i < len; i++) {
      sg += gxhat[o + i];
      sgx += gxhat[o + i] * xhat[o + i];
    }
    const k = rstd[r] / len;
    for (let i = 0; i < len; i++) gx[o + i] = k * (len * gxhat[o + i] - sg - xhat[o + i] * sgx);
  }
}

function withGrad(
  op: string,
  out: Float32Array,
  shape: number[],
  xhat: Float32Array,
  x: Tensor,
  weight: Tensor | null,
  bias: Tensor | null,
  layout: AffineLayout,
  inputGrad: (gxhat: Float32Array) => Float32Array,
): Tensor {
  const r = new Tensor(out, shape);
  const parents = [x, ...(weight === null ? [] : [weight]), ...(bias === null ? [] : [bias])];
  if (!needsGradAny(parents)) return r;
  return record(r, op, parents, (g) => {
    const gxhat = affineBackward(g, xhat, weight, bias, layout);
    if (x.requiresGrad) accumulateOwned(x, inputGrad(gxhat));
  });
}

/** PyTorch's F.layer_norm: statistics over the trailing dimensions given by normalizedShape. */
export function layerNorm(
  x: Tensor,
  normalizedShape: readonly number[],
  weight: Tensor | null = null,
  bias: Tensor | null = null,
  eps = 1e-5,
): Tensor {
  const op = 'layerNorm';
  const k = normalizedShape.length;
  if (k === 0 || k > x.shape.length || !shapesEqual(x.shape.slice(x.shape.length - k), normalizedShape)) {
    throw new Error(`${op}: input of shape ${formatShape(x.shape)} does not end with the normalized shape ${formatShape(normalizedShape)}`);
  }
  checkAffine(op, 'weight', weight, normalizedShape);
  checkAffine(op, 'bias', bias, normalizedShape);
  const len = sizeOf(normalizedShape);
  const rows = len === 0 ? 0 : x.data.length / len;
  const xhat = new Float32Array(x.data.length);
  const rstd = new Float32Array(rows);
  normalizeRows(x.data, rows, len, eps, xhat, rstd);
  const layout = { channels: len, inner: 1 };
  const out = affine(xhat, weight, bias, layout);
  return withGrad(op, out, x.shape, xhat, x, weight, bias, layout, (gxhat) => {
    normalizeRowsBackward(gxhat, xhat, rstd, rows, len, gxhat);
    return gxhat;
  });
}

/** PyTorch's F.group_norm on [N, C, *]: statistics per sample over each group of C/numGroups channels. */
export function groupNorm(x: Tensor, numGroups: number, weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor {
  const op = 'groupNorm';
  if (x.shape.length < 2) throw new Error(`${op}: expects input of shape [N, C, *], got ${formatShape(x.shape)}`);
  const [n, c] = x.shape;
  if (!Number.isInteger(numGroups) || numGroups < 1 || c % numGroups !== 0) {
    throw new Error(`${op}: ${c} channels (input ${formatShape(x.shape)}) must be divisible by numGroups=${numGroups}`);
  }
  checkAffine(op, 'weight', weight, [c]);
  checkAffine(op, 'bias', bias, [c]);
  const inner = sizeOf(x.shape.slice(2));
  const rows = n * numGroups;
  const len = (c / numGroups) * inner;
  const xhat = new Float32Array(x.data.length);
  const rstd = new Float32Array(rows);
  normalizeRows(x.data, rows, len, eps, xhat, rstd);
  const layout = { channels: c, inner };
  const out = affine(xhat, weight, bias, layout);
  return withGrad(op, out, x.shape, xhat, x, weight, bias, layout, (gxhat) => {
    normalizeRowsBackward(gxhat, xhat, rstd, rows, len, gxhat);
    return gxhat;
  });
}

/**
 * PyTorch's F.batch_norm on [N, C] or [N, C, *]. In training the statistics are the batch's, per channel
 * over samples and positions (biased variance to normalise), and the running buffers, when given, move
 * by `momentum` towards the batch mean and the unbiased variance, in place. Otherwise the running
 * statistics normalise and the op is an affine map per channel.
 */
export function batchNorm(
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  weight: Tensor | null = null,
  bias: Tensor | null = null,
  training = false,
  momentum = 0.1,
  eps = 1e-5,
): Tensor {
  const op = 'batchNorm';
  if (x.shape.length < 2) throw new Error(`${op}: expects input of shape [N, C] or [N, C, *], got ${formatShape(x.shape)}`);
  const [n, c] = x.shape;
  for (const [what, t] of [
    ['weight', weight],
    ['bias', bias],
    ['runningMean', runningMean],
    ['runningVar', runningVar],
  ] as const) {
    if (t !== null && !shapesEqual(t.shape, [c])) {
      throw new Error(`${op}: ${what} of shape ${formatShape(t.shape)} does not match the ${c} channels of input ${formatShape(x.shape)}`);
    }
  }
  if (!training && (runningMean === null || runningVar === null)) {
    throw new Error(`${op}: evaluation needs running statistics (runningMean and runningVar), or training=true to use the batch's`);
  }
  const inner = sizeOf(x.shape.slice(2));
  const count = n * inner;
  if (training && count <= 1) {
    throw new Error(`${op}: expected more than 1 value per channel when training, got input of shape ${formatShape(x.shape)}`);
  }
  const xd = x.data;
  if (!training && !needsGradAny([x, ...(weight === null ? [] : [weight]), ...(bias === null ? [] : [bias])])) {
    return new Tensor(batchNormEval(xd, c, inner, runningMean!.data, runningVar!.data, weight?.data, bias?.data, eps), x.shape);
  }
  const mean = new Float64Array(c);
  const sq = new Float64Array(c);
  const rstd = new Float32Array(c);
  const xhat = new Float32Array(xd.length);
  if (!training) {
    const rm = runningMean!.data;
    const rv = runningVar!.data;
    for (let ch = 0; ch < c; ch++) {
      mean[ch] = rm[ch];
      rstd[ch] = 1 / Math.sqrt(rv[ch] + eps);
    }
  }
  // The wasm kernel (engine/kernels/image.ts) runs the same passes as batchNormPasses, bit for bit.
  if (!batchNormForwardInto(xd, n, c, inner, training ? eps : null, mean, sq, rstd, xhat)) {
    batchNormPasses(xd, n, c, inner, training ? eps : null, mean, sq, rstd, xhat);
  }
  if (training && runningMean !== null && runningVar !== null) {
    const rm = runningMean.data;
    const rv = runningVar.data;
    for (let ch = 0; ch < c; ch++) {
      rm[ch] = (1 - momentum) * rm[ch] + momentum * mean[ch];
      rv[ch] = (1 - momentum) * rv[ch] + momentum * (sq[ch] / (count - 1));
    }
  }
  const layout = { channels: c, inner };
  const out = affine(xhat, weight, bias, layout);
  return withGrad(op, out, x.shape, xhat, x, weight, bias, layout, (gxhat) => {
    if (!training) {
      // Fixed statistics: a per-channel scale.
      for (let p = 0, s = 0; s < n; s++) for (let ch = 0; ch < c; ch++) for (let i = 0; i < inner; i++, p++) gxhat[p] *= rstd[ch];
      return gxhat;
    }
    if (!batchNormBackwardInPlace(gxhat, xhat, n, c, inner, rstd)) batchNormBackwardPasses(gxhat, xhat, n, c, inner, rstd);
    return gxhat;
  });
}

/**
 * Inference with running statistics, nothing to differentiate: one pass of y = x * scale + shift per
 * channel, scale = weight / sqrt(var + eps) and shift = bias - mean * scale in float64 (as PyTorch's CPU
 * kernel folds them), without the xhat that only gradients need.
 */
function batchNormEval(
  xd: Float32Array,
  c: number,
  inner: number,
  rm: Float32Array,
  rv: Float32Array,
  wd: Float32Array | undefined,
  bd: Float32Array | undefined,
  eps: number,
): Float32Array {
  const scale = new Float64Array(c);
  const shift = new Float64Array(c);
  for (let ch = 0; ch < c; ch++) {
    scale[ch] = (wd === undefined ? 1 : wd[ch]) / Math.sqrt(rv[ch] + eps);
    shift[ch] = (bd === undefined ? 0 : bd[ch]) - rm[ch] * scale[ch];
  }
  const out = forwardArray(xd.length);
  if (!channelAffineInto(out, xd, c, inner, scale, shift)) {
    for (let p = 0; p < xd.length;) {
      for (let ch = 0; ch < c; ch++) {
        const s = scale[ch],
          t = shift[ch];
        for (let i = 0; i < inner; i++, p++) out[p] = xd[p] * s + t;
      }
    }
  }
  return out;
}

/**
 * Batch norm's forward passes in TypeScript (the reference of engine/kernels/image.ts's
 * batchNormForwardInto, same contract): with eps, the batch's mean, squared deviations and rstd first.
 */
export function batchNormPasses(
  xd: Float32Array,
  n: number,
  c: number,
  inner: number,
  eps: number | null,
  mean: Float64Array,
  sq: Float64Array,
  rstd: Float32Array,
  xhat: Float32Array,
): void {
  const count = n * inner;
  if (eps !== null) {
    mean.fill(0);
    sq.fill(0);
    for (let p = 0, s = 0; s < n; s++) {
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let i = 0; i < inner; i++, p++) acc += xd[p];
        mean[ch] += acc;
      }
    }
    for (let ch = 0; ch < c; ch++) mean[ch] /= count;
    for (let p = 0, s = 0; s < n; s++) {
      for (let ch = 0; ch < c; ch++) {
        const m = mean[ch];
        let acc = 0;
        for (let i = 0; i < inner; i++, p++) {
          const d = xd[p] - m;
          acc += d * d;
        }
        sq[ch] += acc;
      }
    }
    for (let ch = 0; ch < c; ch++) rstd[ch] = 1 / Math.sqrt(sq[ch] / count + eps);
  }
  for (let p = 0, s = 0; s < n; s++) {
    for (let ch = 0; ch < c; ch++) {
      const m = mean[ch];
      const k = rstd[ch];
      for (let i = 0; i < inner; i++, p++) xhat[p] = (xd[p] - m) * k;
    }
  }
}

/** Batch norm's training input gradient in TypeScript, in place (the reference of batchNormBackwardInPlace). */
export function batchNormBackwardPasses(gxhat: Float32Array, xhat: Float32Array, n: number, c: number, inner: number, rstd: Float32Array): void {
  const count = n * inner;
  const sg = new Float64Array(c);
  const sgx = new Float64Array(c);
  for (let p = 0, s = 0; s < n; s++) {
    for (let ch = 0; ch < c; ch++) {
      let a = 0,
        b = 0;
      for (let i = 0; i < inner; i++, p++) {
        a += gxhat[p];
        b += gxhat[p] * xhat[p];
      }
      sg[ch] += a;
      sgx[ch] += b;
    }
  }
  for (let p = 0, s = 0; s < n; s++) {
    for (let ch = 0; ch < c; ch++) {
      const k = rstd[ch] / count;
      const a = sg[ch],
        b = sgx[ch];
      for (let i = 0; i < inner; i++, p++) gxhat[p] = k * (count * gxhat[p] - a - xhat[p] * b);
    }
  }
}
