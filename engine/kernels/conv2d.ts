/**
 * conv2d's forward and its two gradients as kernels (engine/ops/conv.ts keeps shapes, checks, bias and
 * autograd). The convolution of a batch is, per group, one matrix product `weight @ cols` over the column
 * matrices of all its samples side by side (one large GEMM, threaded, instead of one small one per sample).
 *
 * Two implementations of the same arithmetic:
 * - resident (WebAssembly): the input, the weight and every column matrix live in the shared wasm memory
 *   for the whole call. im2col/col2im run in assembly/image.ts straight into the memory the GEMM reads,
 *   so the column matrix (kernel-size times the input) is never built in JavaScript nor copied; only the
 *   input, the weight and the results cross.
 * - direct (WebAssembly, the forward with width stride 1): no column matrix at all; the input is padded
 *   once and the kernel reads each window's 8 consecutive values straight from it (conv2dForwardDirect).
 * - reference (TypeScript): im2col.ts and matmulInto, used when the wasm modules are unavailable, and by
 *   the kernel tests as the reference.
 */
import { matmulInto } from './matmul';
import { col2im, im2col, type ConvGeometry } from './im2col';
import { residentBase, residentF32, residentGemm, wasmRuntime, type ImageExports, type Runtime } from './wasm_gemm';

/** One convolution: n samples of groups * geo.channels channels, o output channels. */
export interface ConvProblem {
  n: number;
  groups: number;
  o: number;
  geo: ConvGeometry;
}

/** Column matrices are built for this many samples at a time, bounding their memory (16 MiB). */
const COLS_LIMIT = 1 << 22;

function sizes(p: ConvProblem) {
  const { n, groups, o, geo } = p;
  const og = o / groups;
  const kk = geo.channels * geo.kh * geo.kw;
  const l = geo.outH * geo.outW;
  const inPlane = geo.channels * geo.height * geo.width;
  // Samples per product: the whole batch when it fits, so small layers make one large GEMM call.
  const chunk = Math.max(1, Math.min(n, Math.floor(COLS_LIMIT / Math.max(1, kk * l))));
  return { og, kk, l, inPlane, chunk };
}

let rtCache: Runtime | null | undefined;
function resident(): { rt: Runtime; image: ImageExports } | null {
  if (rtCache === undefined) rtCache = wasmRuntime();
  return rtCache !== null && rtCache.image !== null ? { rt: rtCache, image: rtCache.image } : null;
}

/** Whether the resident (wasm) path is available; for tests. */
export function convKernelsAvailable(): boolean {
  return resident() !== null;
}

const align = (bytes: number): number => Math.ceil(bytes / 64) * 64;

/** Byte addresses of the regions one call keeps in the shared memory, and its end. */
function layout(rt: Runtime, regions: Record<string, number>): { at: Record<string, number>; end: number } {
  let p = residentBase(rt);
  const at: Record<string, number> = {};
  for (const [name, floats] of Object.entries(regions)) {
    at[name] = p;
    p += align(floats * 4);
  }
  return { at, end: p };
}

function geoArgs(g: ConvGeometry): [number, number, number, number, number, number, number, number, number, number, number, number, number] {
  return [g.channels, g.height, g.width, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.dh, g.dw, g.outH, g.outW];
}

/** out[N, O, L] = conv(x, w) without bias; every value of out is written. */
export function conv2dForwardInto(out: Float32Array, x: Float32Array, w: Float32Array, p: ConvProblem): void {
  if (!conv2dForwardResident(out, x, w, p)) conv2dForwardReference(out, x, w, p);
}

/** gx += dL/dx and gw += dL/dw (either may be null) from gOut [N, O, L]. */
export function conv2dBackward(
  gOut: Float32Array,
  x: Float32Array,
  w: Float32Array,
  p: ConvProblem,
  gx: Float32Array | null,
  gw: Float32Array | null,
): void {
  if (!conv2dBackwardResident(gOut, x, w, p, gx, gw)) conv2dBackwardReference(gOut, x, w, p, gx, gw);
}

/** prod[og, ns*l] (channel-major, samples side by side) -> out's [s, g*og + c, :] rows. */
function scatterRows(
  out: Float32Array,
  prod: Float32Array,
  prodAt: number,
  s0: number,
  ns: number,
  o: number,
  g: number,
  og: number,
  l: number,
): void {
  if (ns === 1) {
    // One sample's product is already laid out as its output channels: one copy.
    out.set(prod.subarray(prodAt, prodAt + og * l), (s0 * o + g * og) * l);
    return;
  }
  for (let s = 0; s < ns; s++) {
    for (let c = 0; c < og; c++) {
      const src = prodAt + c * ns * l + s * l;
      out.set(prod.subarray(src, src + l), ((s0 + s) * o + g * og + c) * l);
    }
  }
}

/** The inverse of scatterRows: gOut's rows of group g for samples s0.. into dst[og, ns*l]. */
function gatherRows(dst: Float32Array, dstAt: number, gOut: Float32Array, s0: number, ns: number, o: number, g: number, og: number, l: number): void {
  if (ns === 1) {
    const at = (s0 * o + g * og) * l;
    dst.set(gOut.subarray(at, at + og * l), dstAt);
    return;
  }
  for (let s = 0; s < ns; s++) {
    for (let c = 0; c < og; c++) {
      const src = ((s0 + s) * o + g * og + c) * l;
      dst.set(gOut.subarray(src, src + l), dstAt + c * ns * l + s * l);
    }
  }
}

export function conv2dForwardResident(out: Float32Array, x: Float32Array, w: Float32Array, p: ConvProblem): boolean {
  const k = resident();
  if (k === null) return false;
  if (p.geo.sw === 1) return conv2dForwardDirect(out, x, w, p, k.rt, k.image);
  const { rt, image } = k;
  const { n, groups, o, geo } = p;
  const { og, kk, l, inPlane, chunk } = sizes(p);
  const samplePlane = groups * inPlane;
  const { at, end } = layout(rt, { x: chunk * samplePlane, w: o * kk, cols: kk * chunk * l, prod: og * chunk * l });
  let f32 = residentF32(rt, end);
  if (f32 === null) return false;
  f32.set(w.length === o * kk ? w : w.subarray(0, o * kk), at.w >> 2);
  for (let s0 = 0; s0 < n; s0 += chunk) {
    const ns = Math.min(chunk, n - s0);
    f32.set(x.subarray(s0 * samplePlane, (s0 + ns) * samplePlane), at.x >> 2);
    for (let g = 0; g < groups; g++) {
      image.im2col(at.x + g * inPlane * 4, samplePlane, ns, ...geoArgs(geo), at.cols, ns * l, 0);
      residentGemm(rt, at.w + g * og * kk * 4, at.cols, at.prod, og, kk, ns * l, false, false);
      // The memory may have grown (another kernel, or a worker's scratch): refresh the view.
      f32 = rt.f32;
      scatterRows(out, f32, at.prod >> 2, s0, ns, o, g, og, l);
    }
  }
  return true;
}

/**
 * The forward with width stride 1 as assembly/image.ts's convDirect: the input zero-padded once in wasm
 * memory, the products read straight from it. im2col wrote kh*kw times the input and gemm packed it all
 * again; on resnet_mini those two passes cost more than the arithmetic.
 */
function conv2dForwardDirect(out: Float32Array, x: Float32Array, w: Float32Array, p: ConvProblem, rt: Runtime, image: ImageExports): boolean {
  const { n, groups, o, geo } = p;
  const { og, kk, l, inPlane } = sizes(p);
  const { channels: cg, height, width, kh, kw, sh, ph, pw, dh, dw, outH, outW } = geo;
  // Padded planes tall and wide enough for every window; the last tile of a row reads up to 8 values
  // past its row, hence the slack after the last plane.
  const hp = Math.max(ph + height, (outH - 1) * sh + (kh - 1) * dh + 1);
  const wp = Math.max(pw + width, outW + (kw - 1) * dw);
  const padded = cg * hp * wp;
  const blocks = Math.ceil(og / 4);
  const { at, end } = layout(rt, {
    x: n * groups * inPlane,
    xp: n * groups * padded + 16,
    w: groups * blocks * kk * 4,
    offs: kk,
    out: n * o * l,
    scratch: 32,
  });
  const f32 = residentF32(rt, end);
  if (f32 === null) return false;
  f32.set(x.subarray(0, n * groups * inPlane), at.x >> 2);
  image.padPlanes(at.x, n * groups, cg, height, width, ph, pw, hp, wp, at.xp);
  // Weights per block of 4 output channels as [kk][4], zeros past og.
  const packed = f32.subarray(at.w >> 2, (at.w >> 2) + groups * blocks * kk * 4);
  packed.fill(0);
  for (let g = 0; g < groups; g++) {
    for (let c = 0; c < og; c++) {
      const src = (g * og + c) * kk;
      const dst = (g * blocks + (c >> 2)) * kk * 4 + (c & 3);
      for (let q = 0; q < kk; q++) packed[dst + q * 4] = w[src + q];
    }
  }
  const offs = new Int32Array(f32.buffer, at.offs, kk);
  for (let c = 0, q = 0; c < cg; c++)
    for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++, q++) offs[q] = (c * hp * wp + i * dh * wp + j * dw) * 4;
  for (let g = 0; g < groups; g++) {
    image.convDirect(
      at.xp + g * padded * 4,
      groups * padded,
      wp,
      sh,
      at.w + g * blocks * kk * 16,
      at.offs,
      kk,
      og,
      at.out + g * og * l * 4,
      o * l,
      outH,
      outW,
      0,
      n * outH,
      at.scratch,
    );
  }
  out.set(rt.f32.subarray(at.out >> 2, (at.out >> 2) + n * o * l));
  return true;
}

export function conv2dBackwardResident(
  gOut: Float32Array,
  x: Float32Array,
  w: Float32Array,
  p: ConvProblem,
  gx: Float32Array | null,
  gw: Float32Array | null,
): boolean {
  const k = resident();
  if (k === null) return false;
  const { rt, image } = k;
  const { n, groups, o, geo } = p;
  const { og, kk, l, inPlane, chunk } = sizes(p);
  const samplePlane = groups * inPlane;
  const { at, end } = layout(rt, {
    x: gw !== null ? chunk * samplePlane : 0,
    w: o * kk,
    cols: kk * chunk * l,
    g: og * chunk * l,
    gx: gx !== null ? chunk * samplePlane : 0,
    gw: og * kk,
  });
  let f32 = residentF32(rt, end);
  if (f32 === null) return false;
  f32.set(w.length === o * kk ? w : w.subarray(0, o * kk), at.w >> 2);
  for (let s0 = 0; s0 < n; s0 += chunk) {
    const ns = Math.min(chunk, n - s0);
    if (gw !== null) f32.set(x.subarray(s0 * samplePlane, (s0 + ns) * samplePlane), at.x >> 2);
    if (gx !== null) f32.fill(0, at.gx >> 2, (at.gx >> 2) + ns * samplePlane);
    for (let g = 0; g < groups; g++) {
      f32 = rt.f32;
      gatherRows(f32, at.g >> 2, gOut, s0, ns, o, g, og, l);
      if (gw !== null) {
        // gw_g[og, kk] += gOut_g[og, ns*l] @ cols[kk, ns*l]^T
        image.im2col(at.x + g * inPlane * 4, samplePlane, ns, ...geoArgs(geo), at.cols, ns * l, 0);
        residentGemm(rt, at.g, at.cols, at.gw, og, ns * l, kk, false, true);
        f32 = rt.f32;
        const src = at.gw >> 2;
        const dst = g * og * kk;
        for (let i = 0; i < og * kk; i++) gw[dst + i] += f32[src + i];
      }
      if (gx !== null) {
        // dcols[kk, ns*l] = W_g^T @ gOut_g, then col2im into this chunk's input gradient.
        residentGemm(rt, at.w + g * og * kk * 4, at.g, at.cols, kk, og, ns * l, true, false);
        image.col2im(at.cols, ns * l, 0, ns, ...geoArgs(geo), at.gx + g * inPlane * 4, samplePlane);
      }
    }
    if (gx !== null) {
      f32 = rt.f32;
      const src = at.gx >> 2;
      const base = s0 * samplePlane;
      for (let i = 0, len = ns * samplePlane; i < len; i++) gx[base + i] += f32[src + i];
    }
  }
  return true;
}

// ---- reference (TypeScript) ----------------------------------------------------------------------

/** Scratch buffers reused across calls of the reference path (a fresh one per call costs more than a small convolution). */
const scratchBuffers: Float32Array[] = [];

function scratch(slot: number, floats: number): Float32Array {
  let b = scratchBuffers[slot];
  if (b === undefined || b.length < floats) {
    b = new Float32Array(Math.max(floats, 1024));
    scratchBuffers[slot] = b;
  }
  return b.length === floats ? b : b.subarray(0, floats);
}

export function conv2dForwardReference(out: Float32Array, x: Float32Array, w: Float32Array, p: ConvProblem): void {
  const { n, groups, o, geo } = p;
  const { og, kk, l, inPlane, chunk } = sizes(p);
  const cols = scratch(0, kk * chunk * l);
  const prod = scratch(1, og * chunk * l);
  for (let g = 0; g < groups; g++) {
    const wSlice = w.subarray(g * og * kk, (g + 1) * og * kk);
    for (let s0 = 0; s0 < n; s0 += chunk) {
      const ns = Math.min(chunk, n - s0);
      for (let s = 0; s < ns; s++) im2col(x, ((s0 + s) * groups + g) * inPlane, geo, cols, ns * l, s * l);
      matmulInto(prod, wSlice, cols, og, kk, ns * l);
      scatterRows(out, prod, 0, s0, ns, o, g, og, l);
    }
  }
}

export function conv2dBackwardReference(
  gOut: Float32Array,
  x: Float32Array,
  w: Float32Array,
  p: ConvProblem,
  gx: Float32Array | null,
  gw: Float32Array | null,
): void {
  const { n, groups, o, geo } = p;
  const { og, kk, l, inPlane, chunk } = sizes(p);
  const cols = scratch(0, kk * chunk * l);
  const gChunk = scratch(1, og * chunk * l);
  const dcols = gx !== null ? scratch(2, kk * chunk * l) : null;
  for (let g = 0; g < groups; g++) {
    const wSlice = w.subarray(g * og * kk, (g + 1) * og * kk);
    for (let s0 = 0; s0 < n; s0 += chunk) {
      const ns = Math.min(chunk, n - s0);
      gatherRows(gChunk, 0, gOut, s0, ns, o, g, og, l);
      if (gw !== null) {
        for (let s = 0; s < ns; s++) im2col(x, ((s0 + s) * groups + g) * inPlane, geo, cols, ns * l, s * l);
        matmulInto(gw.subarray(g * og * kk, (g + 1) * og * kk), gChunk, cols, og, ns * l, kk, false, true, true);
      }
      if (gx !== null && dcols !== null) {
        matmulInto(dcols, wSlice, gChunk, kk, og, ns * l, true, false);
        for (let s = 0; s < ns; s++) col2im(dcols, geo, gx, ((s0 + s) * groups + g) * inPlane, ns * l, s * l);
      }
    }
  }
}
