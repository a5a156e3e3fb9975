// Kernels for the image layers: im2col / col2im (the bridge from a convolution to one GEMM call, run on
// the column matrix where it lies in the shared memory, see engine/kernels/conv2d.ts), max pooling with
// its argmax, and batch norm's per-channel sums and elementwise passes.
//
// Every kernel computes exactly what the TypeScript reference beside its caller computes (the same
// float32 operations in the same order, float64 sums where that code sums in float64), so the results
// are bit for bit the same (test/kernels/image.test.ts). Memory is imported and shared with the gemm
// module; this module has no static data and no state: callers pass every address (bytes).

/** First output index o whose input index o*s + shift lies in [0, size), and one past the last. */
// @ts-ignore: decorator
@inline function rangeLo(s: i32, shift: i32): i32 {
  return shift >= 0 ? 0 : (-shift + s - 1) / s;
}

// @ts-ignore: decorator
@inline function rangeHi(size: i32, out: i32, s: i32, shift: i32): i32 {
  const a = size - shift;
  return a <= 0 ? 0 : min(out, (a + s - 1) / s);
}

/**
 * For ns samples (src advancing srcStride floats per sample), cols[(c*kh + i)*kw + j, at + s*L + oh*outW + ow]
 * = src_s[c, oh*sh - ph + i*dh, ow*sw - pw + j*dw] (0 outside), in a column matrix with ld columns,
 * L = outH*outW. The valid output range is found once per kernel offset, so the copies carry no tests;
 * with stride 1 a row is one memory.copy.
 */
export function im2col(src: usize, srcStride: i32, ns: i32, channels: i32, height: i32, width: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, outH: i32, outW: i32, cols: usize, ld: i32, at: i32): void {
  const plane = height * width;
  const l = outH * outW;
  for (let s = 0; s < ns; s++) {
    const sbase = src + ((<usize>s * srcStride) << 2);
    let row = 0;
    for (let c = 0; c < channels; c++) {
      const base = sbase + ((<usize>c * plane) << 2);
      for (let i = 0; i < kh; i++) {
        const hShift = i * dh - ph;
        const ohHi = rangeHi(height, outH, sh, hShift);
        const ohLo = min(rangeLo(sh, hShift), ohHi);
        for (let j = 0; j < kw; j++, row++) {
          const wShift = j * dw - pw;
          const owHi = rangeHi(width, outW, sw, wShift);
          const owLo = min(rangeLo(sw, wShift), owHi);
          const r = cols + ((<usize>row * ld + at + s * l) << 2);
          if (ohLo > 0) memory.fill(r, 0, <usize>(ohLo * outW) << 2);
          for (let oh = ohLo; oh < ohHi; oh++) {
            const o = r + ((<usize>oh * outW) << 2);
            const srow = base + ((<usize>((oh * sh + hShift) * width + wShift)) << 2);
            if (owLo > 0) memory.fill(o, 0, <usize>owLo << 2);
            if (sw == 1) {
              memory.copy(o + (<usize>owLo << 2), srow + (<usize>owLo << 2), <usize>(owHi - owLo) << 2);
            } else {
              for (let ow = owLo; ow < owHi; ow++) store<f32>(o + (<usize>ow << 2), load<f32>(srow + (<usize>(ow * sw) << 2)));
            }
            if (owHi < outW) memory.fill(o + (<usize>owHi << 2), 0, <usize>(outW - owHi) << 2);
          }
          const done = max(ohHi, ohLo);
          if (done < outH) memory.fill(r + ((<usize>done * outW) << 2), 0, <usize>((outH - done) * outW) << 2);
        }
      }
    }
  }
}

/** The adjoint of im2col: dst_s[c, ih, iw] += every column entry im2col read from it (float32, in row order). */
export function col2im(cols: usize, ld: i32, at: i32, ns: i32, channels: i32, height: i32, width: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, outH: i32, outW: i32, dst: usize, dstStride: i32): void {
  const plane = height * width;
  const l = outH * outW;
  for (let s = 0; s < ns; s++) {
    const sbase = dst + ((<usize>s * dstStride) << 2);
    let row = 0;
    for (let c = 0; c < channels; c++) {
      const base = sbase + ((<usize>c * plane) << 2);
      for (let i = 0; i < kh; i++) {
        const hShift = i * dh - ph;
        const ohHi = rangeHi(height, outH, sh, hShift);
        const ohLo = min(rangeLo(sh, hShift), ohHi);
        for (let j = 0; j < kw; j++, row++) {
          const wShift = j * dw - pw;
          const owHi = rangeHi(width, outW, sw, wShift);
          const owLo = min(rangeLo(sw, wShift), owHi);
          const r = cols + ((<usize>row * ld + at + s * l) << 2);
          for (let oh = ohLo; oh < ohHi; oh++) {
            const o = r + ((<usize>oh * outW) << 2);
            const drow = base + ((<usize>((oh * sh + hShift) * width + wShift)) << 2);
            if (sw == 1) {
              let ow = owLo;
              for (; ow + 4 <= owHi; ow += 4) {
                const d = drow + (<usize>ow << 2);
                v128.store(d, f32x4.add(v128.load(d), v128.load(o + (<usize>ow << 2))));
              }
              for (; ow < owHi; ow++) {
                const d = drow + (<usize>ow << 2);
                store<f32>(d, load<f32>(d) + load<f32>(o + (<usize>ow << 2)));
              }
            } else {
              for (let ow = owLo; ow < owHi; ow++) {
                const d = drow + (<usize>(ow * sw) << 2);
                store<f32>(d, load<f32>(d) + load<f32>(o + (<usize>ow << 2)));
              }
            }
          }
        }
      }
    }
  }
}

/**
 * Max pooling over `planes` planes of height x width: out[q] the largest value of each window (padding
 * counts as -infinity; the first maximum wins; NaN wins, as in PyTorch) and argmax[q] its index in the
 * input (relative to src, as an int32).
 */
export function maxPool2d(src: usize, planes: i32, height: i32, width: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  ph: i32, pw: i32, dh: i32, dw: i32, outH: i32, outW: i32, out: usize, argmax: usize): void {
  const plane = height * width;
  let q: usize = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * plane;
    for (let oh = 0; oh < outH; oh++) {
      const h0 = oh * sh - ph;
      for (let ow = 0; ow < outW; ow++, q++) {
        const w0 = ow * sw - pw;
        let best: f32 = -Infinity;
        let at = -1;
        for (let i = 0; i < kh; i++) {
          const ih = h0 + i * dh;
          if (ih < 0 || ih >= height) continue;
          const row = base + ih * width;
          for (let j = 0; j < kw; j++) {
            const iw = w0 + j * dw;
            if (iw < 0 || iw >= width) continue;
            const v = load<f32>(src + (<usize>(row + iw) << 2));
            if (at < 0 || v > best || v != v) {
              best = v;
              at = row + iw;
            }
          }
        }
        store<f32>(out + (q << 2), best);
        store<i32>(argmax + (q << 2), at);
      }
    }
  }
}

/** gx[argmax[q]] += g[q] for q < count (gx zeroed by the caller). */
export function maxPoolBackward(g: usize, argmax: usize, count: i32, gx: usize): void {
  for (let q = 0; q < count; q++) {
    const d = gx + (<usize>load<i32>(argmax + (<usize>q << 2)) << 2);
    store<f32>(d, load<f32>(d) + load<f32>(g + (<usize>q << 2)));
  }
}

/**
 * Per channel of x [n, c, inner]: sums[ch] += sum of x (f64), with each (sample, channel) row summed
 * on its own first, as the reference does.
 */
export function channelSums(x: usize, n: i32, c: i32, inner: i32, sums: usize): void {
  let p = x;
  for (let s = 0; s < n; s++) {
    for (let ch = 0; ch < c; ch++) {
      let acc: f64 = 0;
      for (let i = 0; i < inner; i++, p += 4) acc += <f64>load<f32>(p);
      const d = sums + (<usize>ch << 3);
      store<f64>(d, load<f64>(d) + acc);
    }
  }
}

/** Per channel: sq[ch] += sum of (x - mean[ch])^2 in f64 (mean as f64). */
export function channelSquares(x: usize, n: i32, c: i32, inner: i32, mean: usize, sq: usize): void {
  let p = x;
  for (let s = 0; s < n; s++) {
    for (let ch = 0; ch < c; ch++) {
      const m = load<f64>(mean + (<usize>ch << 3));
      let acc: f64 = 0;
      for (let i = 0; i < inner; i++, p += 4) {
        const d = <f64>load<f32>(p) - m;
        acc += d * d;
      }
      const o = sq + (<usize>ch << 3);
      store<f64>(o, load<f64>(o) + acc);
    }
  }
}

/** xhat = f32((x - mean[ch]) * rstd[ch]) with mean f64 and rstd f32, as the reference's float64 arithmetic. */
export function normalize(x: usize, n: i32, c: i32, inner: i32, mean: usize, rstd: usize, xhat: usize): void {
  let p: usize = 0;
  for (let s = 0; s < n; s++) {
    for (let ch = 0; ch < c; ch++) {
      const m = load<f64>(mean + (<usize>ch << 3));
      const k = <f64>load<f32>(rstd + (<usize>ch << 2));
      for (let i = 0; i < inner; i++, p += 4) store<f32>(xhat + p, <f32>((<f64>load<f32>(x + p) - m) * k));
    }
  }
}

/** Per channel: sg[ch] += sum g, sgx[ch] += sum g*xhat (f64, each row summed first). */
export function channelGradSums(g: usize, xhat: usize, n: i32, c: i32, inner: i32, sg: usize, sgx: usize): void {
  let p: usize = 0;
  for (let s = 0; s < n; s++) {
    for (let ch = 0; ch < c; ch++) {
      let a: f64 = 0, b: f64 = 0;
      for (let i = 0; i < inner; i++, p += 4) {
        const gv = <f64>load<f32>(g + p);
        a += gv;
        b += gv * <f64>load<f32>(xhat + p);
      }
      const o = <usize>ch << 3;
      store<f64>(sg + o, load<f64>(sg + o) + a);
      store<f64>(sgx + o, load<f64>(sgx + o) + b);
    }
  }
}

/** In place: g = f32(k * (count*g - sg[ch] - xhat*sgx[ch])), k = rstd[ch]/count (f64), batch norm's input gradient. */
export function batchNormBackward(g: usize, xhat: usize, n: i32, c: i32, inner: i32, count: f64, rstd: usize, sg: usize, sgx: usize): void {
  let p: usize = 0;
  for (let s = 0; s < n; s++) {
    for (let ch = 0; ch < c; ch++) {
      const k = <f64>load<f32>(rstd + (<usize>ch << 2)) / count;
      const a = load<f64>(sg + (<usize>ch << 3)), b = load<f64>(sgx + (<usize>ch << 3));
      for (let i = 0; i < inner; i++, p += 4) {
        store<f32>(g + p, <f32>(k * (count * <f64>load<f32>(g + p) - a - <f64>load<f32>(xhat + p) * b)));
      }
    }
  }
}

// ---- elementwise passes over activations (engine/kernels/elementwise.ts) ---------------------------

/** y = x > 0 ? x : 0 (so NaN and -0 give +0, as engine/ops/unary.ts's loop), n values. */
export function reluF32(x: usize, y: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(x + o);
    v128.store(y + o, v128.and(v, f32x4.gt(v, zero)));
  }
  for (; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    store<f32>(y + (<usize>i << 2), v > 0 ? v : 0);
  }
}

/** y = a + b, n values; relu too when `relu` (a residual sum and its activation in one pass). */
export function addF32(a: usize, b: usize, y: usize, n: i32, relu: bool): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const v = f32x4.add(v128.load(a + o), v128.load(b + o));
    v128.store(y + o, relu ? v128.and(v, f32x4.gt(v, zero)) : v);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(a + o) + load<f32>(b + o);
    store<f32>(y + o, relu && !(v > 0) ? 0 : v);
  }
}

/**
 * y = f32(f64(x) * scale[ch] + shift[ch]) over rows of `inner` values, row r of channel (ch0 + r) mod c
 * (scale and shift f64): batch norm in eval mode as one pass, in float64 lanes like its TypeScript loop.
 */
export function channelAffine(x: usize, rows: i32, c: i32, ch0: i32, inner: i32, scale: usize, shift: usize, y: usize): void {
  let p: usize = 0;
  for (let r = 0; r < rows; r++) {
    const ch = (ch0 + r) % c;
    const s = load<f64>(scale + (<usize>ch << 3)), t = load<f64>(shift + (<usize>ch << 3));
    const sv = f64x2.splat(s), tv = f64x2.splat(t);
    let i = 0;
    for (; i + 4 <= inner; i += 4, p += 16) {
      const v = v128.load(x + p);
      const lo = f64x2.add(f64x2.mul(f64x2.promote_low_f32x4(v), sv), tv);
      const hi = f64x2.add(f64x2.mul(f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)), sv), tv);
      v128.store(y + p, i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5));
    }
    for (; i < inner; i++, p += 4) store<f32>(y + p, <f32>(<f64>load<f32>(x + p) * s + t));
  }
}

// ---- direct convolution (width stride 1) ------------------------------------------------------------

/**
 * src [ns, channels, height, width] -> dst [ns, channels, hp, wp], zero-padded with ph rows above and pw
 * columns left (the rest of each padded plane is zeros too).
 */
export function padPlanes(src: usize, ns: i32, channels: i32, height: i32, width: i32, ph: i32, pw: i32, hp: i32, wp: i32, dst: usize): void {
  const planes = ns * channels;
  memory.fill(dst, 0, <usize>planes * hp * wp << 2);
  for (let p = 0; p < planes; p++) {
    const s = src + (<usize>p * height * width << 2);
    const d = dst + ((<usize>p * hp * wp + <usize>ph * wp + pw) << 2);
    for (let h = 0; h < height; h++) memory.copy(d + (<usize>h * wp << 2), s + (<usize>h * width << 2), <usize>width << 2);
  }
}

/**
 * A convolution with width stride 1 straight from the padded input, no column matrix: output rows
 * [u0, u1) of the batch (u = sample * outH + oh), every output channel. A 4-channel x 8-position tile
 * keeps its sums in eight vectors (as gemm's kernel4x8); each of its kk steps loads 8 consecutive input
 * values at offs[k] (bytes: c*hp*wp + i*dh*wp + j*dw, floats times 4) from the tile's first window, and
 * 4 weights from wp, packed per block of 4 channels as [kk][4] (zeros past og). out is [ns, *, outH*outW]
 * with outStride floats per sample; xStride floats per padded sample; rows of the input sh*wp apart.
 * A last tile narrower than 8 reads past its row (the caller leaves slack after the input) and stores
 * only its own columns.
 */
export function convDirect(xp: usize, xStride: i32, wp: i32, sh: i32, w: usize, offs: usize, kk: i32, og: i32,
  out: usize, outStride: i32, outH: i32, outW: i32, u0: i32, u1: i32, scratch: usize): void {
  const l = outH * outW;
  const blocks = (og + 3) >> 2;
  for (let u = u0; u < u1; u++) {
    const s = u / outH, oh = u - s * outH;
    const xrow = xp + ((<usize>s * xStride + <usize>oh * sh * wp) << 2);
    const orow = out + ((<usize>s * outStride + <usize>oh * outW) << 2);
    for (let ob = 0; ob < blocks; ob++) {
      const rows = min(4, og - (ob << 2));
      const wb = w + (<usize>ob * kk << 4);
      const ob0 = orow + (<usize>(ob << 2) * l << 2);
      for (let ow = 0; ow < outW; ow += 8) {
        const base = xrow + (<usize>ow << 2);
        let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
        let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
        let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
        let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
        let a = wb;
        for (let k = 0; k < kk; k++) {
          const bp = base + <usize>load<i32>(offs + (<usize>k << 2));
          const b0 = v128.load(bp);
          const b1 = v128.load(bp, 16);
          let av = v128.load32_splat(a);
          c00 = f32x4.add(c00, f32x4.mul(av, b0)); c01 = f32x4.add(c01, f32x4.mul(av, b1));
          av = v128.load32_splat(a, 4);
          c10 = f32x4.add(c10, f32x4.mul(av, b0)); c11 = f32x4.add(c11, f32x4.mul(av, b1));
          av = v128.load32_splat(a, 8);
          c20 = f32x4.add(c20, f32x4.mul(av, b0)); c21 = f32x4.add(c21, f32x4.mul(av, b1));
          av = v128.load32_splat(a, 12);
          c30 = f32x4.add(c30, f32x4.mul(av, b0)); c31 = f32x4.add(c31, f32x4.mul(av, b1));
          a += 16;
        }
        const o = ob0 + (<usize>ow << 2);
        const ld = <usize>l << 2;
        if (ow + 8 <= outW && rows == 4) {
          v128.store(o, c00); v128.store(o, c01, 16);
          v128.store(o + ld, c10); v128.store(o + ld, c11, 16);
          v128.store(o + 2 * ld, c20); v128.store(o + 2 * ld, c21, 16);
          v128.store(o + 3 * ld, c30); v128.store(o + 3 * ld, c31, 16);
        } else {
          // Edge tile: through scratch, then only the valid rows and columns.
          v128.store(scratch, c00); v128.store(scratch, c01, 16);
          v128.store(scratch, c10, 32); v128.store(scratch, c11, 48);
          v128.store(scratch, c20, 64); v128.store(scratch, c21, 80);
          v128.store(scratch, c30, 96); v128.store(scratch, c31, 112);
          const cols = min(8, outW - ow);
          for (let r = 0; r < rows; r++) memory.copy(o + <usize>r * ld, scratch + (<usize>r << 5), <usize>cols << 2);
        }
      }
    }
  }
}
