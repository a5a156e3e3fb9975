import { Tensor } from '../tensor';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { gradArray } from '../buffer_pool';
import { formatShape } from '../shape';
import { matmulInto } from '../kernels/matmul';

/**
 * y = x·Wᵀ + b with W of shape [out, in], PyTorch's `F.linear`, as one graph node: the layer that dominates
 * small networks costs one product and one bias pass forward, and three small passes backward.
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null): Tensor {
  const rank = x.shape.length;
  const inF = weight.shape[1];
  const outF = weight.shape[0];
  if (rank === 0 || x.shape[rank - 1] !== inF) {
    throw new Error(
      `linear: input of shape ${formatShape(x.shape)} does not fit weight ${formatShape(weight.shape)} (expects ${inF} input features, got ${rank === 0 ? 'a scalar' : x.shape[rank - 1]})`,
    );
  }
  if (bias !== null && (bias.shape.length !== 1 || bias.shape[0] !== outF)) {
    throw new Error(`linear: bias of shape ${formatShape(bias.shape)} does not match ${outF} output features`);
  }
  const m = x.data.length / inF;
  const out = new Float32Array(m * outF);
  matmulInto(out, x.data, weight.data, m, inF, outF, false, true);
  if (bias !== null) {
    // A plain loop: for the narrow layers of small nets, per-row TypedArray.set calls cost more than the adds.
    const bd = bias.data;
    for (let r = 0, o = 0; r < m; r++, o += outF) for (let j = 0; j < outF; j++) out[o + j] += bd[j];
  }
  const r = new Tensor(out, [...x.shape.slice(0, rank - 1), outF]);
  if (!needsGrad(x, weight, bias ?? undefined)) return r;
  return record(r, 'linear', bias === null ? [x, weight] : [x, weight, bias], (g) => {
    if (x.requiresGrad) {
      const gx = gradArray(x.data.length);
      matmulInto(gx, g, weight.data, m, outF, inF);
      accumulateOwned(x, gx);
    }
    if (weight.requiresGrad) {
      const gw = gradArray(weight.data.length);
      matmulInto(gw, g, x.data, outF, m, inF, true, false);
      accumulateOwned(weight, gw);
    }
    if (bias !== null && bias.requiresGrad) {
      const gb = gradArray(outF);
      for (let r = 0, o = 0; r < m; r++, o += outF) for (let j = 0; j < outF; j++) gb[j] += g[o + j];
      accumulateOwned(bias, gb);
    }
  });
}
