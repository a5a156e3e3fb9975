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
