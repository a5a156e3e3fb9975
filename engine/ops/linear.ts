import { Tensor, storageOf, writeVersion } from '../tensor_core';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { gradArray } from '../buffer_pool';
import { formatShape } from '../shape';
import { matmulInto, preferScalar } from '../kernels/matmul';
import { smallLinearBackward, smallLinearForwardInto } from '../kernels/small';

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
    throw new Error(
      `linear: bias of shape ${formatShape(bias.shape)} does not match weight ${formatShape(weight.shape)} (expects [${outF}], one per output feature)`,
    );
  }
  const m = x.data.length / inF;
  const out = new Float32Array(m * outF);
  // Small layers (the cost is per call): product and bias in one wasm call, same sums and rounding.
  // A Parameter's weights stay resident in wasm memory (no copy per call), which moves the crossover.
  const small = m > 0 && preferScalar(m, inF, outF, writeVersion(storageOf(weight)) !== undefined);
  if (!small || !smallLinearForwardInto(out, x.data, weight.data, bias === null ? null : bias.data, m, inF, outF)) {
    // storageOf: reading without counting a write keeps a Parameter's resident copy current.
    matmulInto(out, x.data, storageOf(weight), m, inF, outF, false, true, false, true);
    if (bias !== null) {
      // A plain loop: for the narrow layers of small nets, per-row TypedArray.set calls cost more than the adds.
      const bd = bias.data;
      for (let r = 0, o = 0; r < m; r++, o += outF) for (let j = 0; j < outF; j++) out[o + j] += bd[j];
    }
  }
  const r = new Tensor(out, [...x.shape.slice(0, rank - 1), outF]);
  if (!needsGrad(x, weight, bias ?? undefined)) return r;
  return record(r, 'linear', bias === null ? [x, weight] : [x, weight, bias], (g) => linearBackward(x, weight, bias, g, m, inF, outF, small));
}

function linearBackward(x: Tensor, weight: Tensor, bias: Tensor | null, g: Float32Array, m: number, inF: number, outF: number, small: boolean): void {
  const gx = x.requiresGrad ? gradArray(x.data.length) : null;
  const gw = weight.requiresGrad ? gradArray(weight.data.length) : null;
  const gb = bias !== null && bias.requiresGrad ? gradArray(outF) : null;
  // Small layers: the three products share one copy of g into wasm memory.
  if (!small || !preferScalar(outF, m, inF) || !smallLinearBackward(g, x.data, weight.data, m, inF, outF, gx, gw, gb)) {
    if (gx !== null) matmulInto(gx, g, storageOf(weight), m, outF, inF, false, false, false, true);
    if (gw !== null) matmulInto(gw, g, x.data, outF, m, inF, true, false);
    if (gb !== null) for (let r = 0, o = 0; r < m; r++, o += outF) for (let j = 0; j < outF; j++) gb[j] += g[o + j];
  }
  if (gx !== null) accumulateOwned(x, gx);
  if (gw !== null) accumulateOwned(weight, gw);
  if (gb !== null) accumulateOwned(bias!, gb);
}
