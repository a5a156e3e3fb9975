import { Tensor } from '../tensor_core';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { gradArray } from '../buffer_pool';
import { formatShape } from '../shape';
import { matmulInto } from '../kernels/matmul';
import { col2im, im2col, type ConvGeometry } from '../kernels/im2col';
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
 * gradient is col2im(weightᵀ @ gradOut), the weight gradient gradOut @ colsᵀ, each one product too.
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

/** Column matrices are built for this many samples at a time, bounding their memory (16 MiB). */
const COLS_LIMIT = 1 << 22;

/**
 * Scratch buffers (column matrices, products) reused across calls: a fresh one per call costs more than
 * a small convolution's arithmetic. Only the current call uses them; the column matrix that backward
 * needs is allocated for that call instead.
 */
const scratchBuffers: Float32Array[] = [];

function scratch(slot: number, floats: number): Float32Array {
  let b = scratchBuffers[slot];
  if (b === undefined || b.length < floats) {
    b = new Float32Array(Math.max(floats, 1024));
    scratchBuffers[slot] = b;
  }
  return b.length === floats ? b : b.subarray(0, floats);
}

function convolve(op: string, x: Tensor, weight: Tensor, bias: Tensor | null, n: number, groups: number, o: number, geo: ConvGeometry): Tensor {
  const { channels: cg, height: h, width: w, kh, kw, outH, outW } = geo;
  const og = o / groups;
  const kk = cg * kh * kw;
  const l = outH * outW;
  const inPlane = cg * h * w;
  // Samples per product: the whole batch in one product when it fits, so that small layers make one
  // large GEMM call (threaded) instead of one small call per sample.
  const chunk = Math.max(1, Math.min(n, Math.floor(COLS_LIMIT / Math.max(1, kk * l))));
  const grad = needsGrad(x, weight, bias ?? undefined);
  // With a single product the forward column matrix is still the right one for the weight gradient.
  const colsKept = grad && weight.requiresGrad && groups === 1 && chunk >= n;
  const cols = colsKept ? new Float32Array(kk * chunk * l) : scratch(0, kk * chunk * l);
  const prod = scratch(1, og * chunk * l);
  const xd = x.data;
  const wd = weight.data;
  const out = new Float32Array(n * o * l);
  const fill = (g: number, s0: number, ns: number, into = cols): void => {
    for (let s = 0; s < ns; s++) im2col(xd, ((s0 + s) * groups + g) * inPlane, geo, into, ns * l, s * l);
  };
  for (let g = 0; g < groups; g++) {
    const wSlice = wd.subarray(g * og * kk, (g + 1) * og * kk);
    for (let s0 = 0; s0 < n; s0 += chunk) {
      const ns = Math.min(chunk, n - s0);
      fill(g, s0, ns);
      // prod[og, ns*l] = W_g @ cols, then each sample's rows go to its place in [N, O, L]; one sample's
      // product is already in place.
      if (ns === 1) {
        const at = (s0 * o + g * og) * l;
        matmulInto(out.subarray(at, at + og * l), wSlice, cols, og, kk, l);
        continue;
      }
      matmulInto(prod, wSlice, cols, og, kk, ns * l);
      for (let s = 0; s < ns; s++) {
        for (let c = 0; c < og; c++) {
          const src = c * ns * l + s * l;
          out.set(prod.subarray(src, src + l), ((s0 + s) * o + g * og + c) * l);
        }
      }
    }
  }
  if (bias !== null) addChannelBias(out, bias.data, n, o, l);
  const r = new Tensor(out, [n, o, outH, outW]);
  if (!grad) return r;
  return record(r, op, bias === null ? [x, weight] : [x, weight, bias], (gOut) => {
    const gx = x.requiresGrad ? gradArray(xd.length) : null;
    const gw = weight.requiresGrad ? gradArray(wd.length) : null;
    const colsB = colsKept ? cols : scratch(0, kk * chunk * l);
    const prodB = scratch(1, og * chunk * l);
    const dcols = gx !== null ? scratch(2, kk * chunk * l) : null;
    for (let g = 0; g < groups; g++) {
      const wSlice = wd.subarray(g * og * kk, (g + 1) * og * kk);
      for (let s0 = 0; s0 < n; s0 += chunk) {
        const ns = Math.min(chunk, n - s0);
        // This chunk's output gradient, channel-major like the forward product ([og, l] as it is for one sample).
        const at = (s0 * o + g * og) * l;
        const gChunk = ns === 1 ? gOut.subarray(at, at + og * l) : prodB;
        for (let s = 0; s < ns && ns > 1; s++) {
          for (let c = 0; c < og; c++) {
            const src = ((s0 + s) * o + g * og + c) * l;
            prodB.set(gOut.subarray(src, src + l), c * ns * l + s * l);
          }
        }
        if (gw !== null) {
          if (!colsKept) fill(g, s0, ns, colsB);
          matmulInto(gw.subarray(g * og * kk, (g + 1) * og * kk), gChunk, colsB, og, ns * l, kk, false, true, true);
        }
        if (gx !== null && dcols !== null) {
          matmulInto(dcols, wSlice, gChunk, kk, og, ns * l, true, false);
          for (let s = 0; s < ns; s++) col2im(dcols, geo, gx, ((s0 + s) * groups + g) * inPlane, ns * l, s * l);
        }
      }
    }
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
