/**
 * Bilinear resizing of byte images (channel-major, [C, H, W]), with half-pixel centres and edge clamping:
 * the sampling of PyTorch's `F.interpolate(mode='bilinear', align_corners=False)` (no antialiasing), so a
 * resized data set matches what the generated PyTorch script computes. Results are rounded back to bytes,
 * which keeps resized image sets as small as the originals.
 */

export function resizeBilinear(src: Uint8Array, channels: number, height: number, width: number, outHeight: number, outWidth: number): Uint8Array {
  if (src.length !== channels * height * width)
    throw new Error(`resizeBilinear: ${src.length} bytes are not a [${channels}, ${height}, ${width}] image`);
  const out = new Uint8Array(channels * outHeight * outWidth);
  if (height === outHeight && width === outWidth) {
    out.set(src);
    return out;
  }
  const ys = axis(height, outHeight);
  const xs = axis(width, outWidth);
  for (let c = 0; c < channels; c++) {
    const plane = src.subarray(c * height * width, (c + 1) * height * width);
    const base = c * outHeight * outWidth;
    for (let oy = 0; oy < outHeight; oy++) {
      const r0 = ys.lo[oy] * width;
      const r1 = ys.hi[oy] * width;
      const fy = ys.frac[oy];
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = xs.lo[ox];
        const x1 = xs.hi[ox];
        const fx = xs.frac[ox];
        const top = plane[r0 + x0] * (1 - fx) + plane[r0 + x1] * fx;
        const bottom = plane[r1 + x0] * (1 - fx) + plane[r1 + x1] * fx;
        out[base + oy * outWidth + ox] = Math.round(top * (1 - fy) + bottom * fy);
      }
    }
  }
  return out;
}

/** For each output coordinate: the two input neighbours and the weight of the second. */
function axis(inSize: number, outSize: number): { lo: Int32Array; hi: Int32Array; frac: Float64Array } {
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const frac = new Float64Array(outSize);
  const scale = inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    const s = Math.max(0, (o + 0.5) * scale - 0.5);
    const i = Math.min(Math.floor(s), inSize - 1);
    lo[o] = i;
    hi[o] = Math.min(i + 1, inSize - 1);
    frac[o] = s - i;
  }
  return { lo, hi, frac };
}
