/**
 * im2col and col2im for one image: the bridge that turns a convolution into one matrix product on the
 * SIMD GEMM. The column matrix has a row per (channel, kernel row, kernel column) and a column per output
 * position, so `weight[O, C*kh*kw] @ cols[C*kh*kw, Ho*Wo]` is the convolution of one sample. The valid range
 * of output columns is worked out once per kernel offset, so the inner loops carry no bounds tests.
 */

export interface ConvGeometry {
  channels: number;
  height: number;
  width: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  /** Padding before the first row / column (PyTorch's 'same' may pad one more after). */
  ph: number;
  pw: number;
  dh: number;
  dw: number;
  outH: number;
  outW: number;
}

/** First and one-past-last output index whose input index o*s - p + k*d lies in [0, size). */
function validRange(size: number, out: number, s: number, p: number, offset: number): [number, number] {
  // i = o*s + offset - p must satisfy 0 <= i < size.
  const shift = offset - p;
  const lo = shift >= 0 ? 0 : Math.ceil(-shift / s);
  const hi = Math.min(out, Math.max(0, Math.ceil((size - shift) / s)));
  return [Math.min(lo, hi), hi];
}

/**
 * cols[(c*kh + i)*kw + j, at + oh*outW + ow] = src[c, oh*sh - ph + i*dh, ow*sw - pw + j*dw] (0 outside),
 * in a column matrix with `ld` columns: several samples side by side make one product for the batch.
 */
export function im2col(src: Float32Array, srcOffset: number, g: ConvGeometry, cols: Float32Array, ld = g.outH * g.outW, at = 0): void {
  const { channels, height, width, kh, kw, sh, sw, ph, pw, dh, dw, outH, outW } = g;
  const plane = height * width;
  const n = outH * outW;
  let row = 0;
  for (let c = 0; c < channels; c++) {
    const base = srcOffset + c * plane;
    for (let i = 0; i < kh; i++) {
      const [ohLo, ohHi] = validRange(height, outH, sh, ph, i * dh);
      for (let j = 0; j < kw; j++, row++) {
        const [owLo, owHi] = validRange(width, outW, sw, pw, j * dw);
        const r = row * ld + at;
        if (ohLo > 0) cols.fill(0, r, r + ohLo * outW);
        for (let oh = ohLo; oh < ohHi; oh++) {
          const o = r + oh * outW;
          const ih = oh * sh - ph + i * dh;
          const srow = base + ih * width + j * dw - pw;
          for (let ow = 0; ow < owLo; ow++) cols[o + ow] = 0;
          if (sw === 1) for (let ow = owLo; ow < owHi; ow++) cols[o + ow] = src[srow + ow];
          else for (let ow = owLo; ow < owHi; ow++) cols[o + ow] = src[srow + ow * sw];
          for (let ow = owHi; ow < outW; ow++) cols[o + ow] = 0;
        }
        if (ohHi < outH) cols.fill(0, r + Math.max(ohHi, ohLo) * outW, r + n);
      }
    }
  }
}

/** The adjoint of im2col: dst[c, ih, iw] += every column entry that im2col read from it. */
export function col2im(cols: Float32Array, g: ConvGeometry, dst: Float32Array, dstOffset: number, ld = g.outH * g.outW, at = 0): void {
  const { channels, height, width, kh, kw, sh, sw, ph, pw, dh, dw, outH, outW } = g;
  const plane = height * width;
  let row = 0;
  for (let c = 0; c < channels; c++) {
    const base = dstOffset + c * plane;
    for (let i = 0; i < kh; i++) {
      const [ohLo, ohHi] = validRange(height, outH, sh, ph, i * dh);
      for (let j = 0; j < kw; j++, row++) {
        const [owLo, owHi] = validRange(width, outW, sw, pw, j * dw);
        const r = row * ld + at;
        for (let oh = ohLo; oh < ohHi; oh++) {
          const o = r + oh * outW;
          const drow = base + (oh * sh - ph + i * dh) * width + j * dw - pw;
          if (sw === 1) for (let ow = owLo; ow < owHi; ow++) dst[drow + ow] += cols[o + ow];
          else for (let ow = owLo; ow < owHi; ow++) dst[drow + ow * sw] += cols[o + ow];
        }
      }
    }
  }
}
