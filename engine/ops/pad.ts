import { Tensor } from '../tensor_core';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { gradArray } from '../buffer_pool';
import { formatShape } from '../shape';

/**
 * Zero padding of the last two dimensions by [left, right, top, bottom], as F.pad(x, (l, r, t, b)) and
 * nn.ZeroPad2d; a negative amount crops, as in PyTorch.
 */
export function zeroPad2d(x: Tensor, padding: readonly [number, number, number, number]): Tensor {
  const op = 'zeroPad2d';
  const rank = x.shape.length;
  if (rank < 2) throw new Error(`${op}: expects input of shape [*, H, W], got ${formatShape(x.shape)}`);
  const [left, right, top, bottom] = padding;
  if (padding.some((v) => !Number.isInteger(v))) throw new Error(`${op}: padding must be integers, got ${JSON.stringify(padding)}`);
  const h = x.shape[rank - 2];
  const w = x.shape[rank - 1];
  const oh = h + top + bottom;
  const ow = w + left + right;
  if (oh <= 0 || ow <= 0)
    throw new Error(`${op}: padding ${JSON.stringify(padding)} leaves input ${formatShape(x.shape)} with size ${formatShape([oh, ow])}`);
  const planes = x.data.length / (h * w);
  // Rows and columns of the output that come from the input.
  const r0 = Math.max(0, top),
    r1 = Math.min(oh, h + top);
  const c0 = Math.max(0, left),
    c1 = Math.min(ow, w + left);
  const xd = x.data;
  const out = new Float32Array(planes * oh * ow);
  for (let p = 0; p < planes; p++) {
    for (let r = r0; r < r1; r++) {
      const src = p * h * w + (r - top) * w - left;
      const dst = p * oh * ow + r * ow;
      for (let c = c0; c < c1; c++) out[dst + c] = xd[src + c];
    }
  }
  const result = new Tensor(out, [...x.shape.slice(0, rank - 2), oh, ow]);
  if (!needsGrad(x)) return result;
  return record(result, op, [x], (g) => {
    const gx = gradArray(xd.length);
    for (let p = 0; p < planes; p++) {
      for (let r = r0; r < r1; r++) {
        const src = p * h * w + (r - top) * w - left;
        const dst = p * oh * ow + r * ow;
        for (let c = c0; c < c1; c++) gx[src + c] = g[dst + c];
      }
    }
    accumulateOwned(x, gx);
  });
}
