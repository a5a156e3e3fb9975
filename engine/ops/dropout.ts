import { Tensor } from '../tensor_core';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { gradArray } from '../buffer_pool';
import { defaultGenerator, type Generator } from '../random';

/** Zeroes each value with probability p and scales the rest by 1/(1-p) (inverted dropout, as PyTorch). */
export function dropout(a: Tensor, p: number, training: boolean, generator: Generator = defaultGenerator): Tensor {
  if (!(p >= 0 && p <= 1)) throw new Error(`dropout: probability must be in [0, 1], got ${p}`);
  if (!training || p === 0) return a;
  const x = a.data;
  const mask = new Float32Array(x.length);
  const keep = p === 1 ? 0 : 1 / (1 - p);
  for (let i = 0; i < x.length; i++) mask[i] = generator.random() >= p ? keep : 0;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] * mask[i];
  const r = new Tensor(out, a.shape);
  if (!needsGrad(a)) return r;
  return record(r, 'dropout', [a], (g) => {
    const ga = gradArray(g.length);
    for (let i = 0; i < g.length; i++) ga[i] = g[i] * mask[i];
    accumulateOwned(a, ga);
  });
}

/**
 * Zeroes whole channels of [N, C, H, W] (or [N, C, L]) with probability p and scales the rest by 1/(1-p),
 * PyTorch's F.dropout2d: neighbouring pixels are correlated, so dropping single values regularises little.
 */
export function dropout2d(a: Tensor, p: number, training: boolean, generator: Generator = defaultGenerator): Tensor {
  if (!(p >= 0 && p <= 1)) throw new Error(`dropout2d: probability must be in [0, 1], got ${p}`);
  if (a.shape.length < 3) throw new Error(`dropout2d: expects input of shape [N, C, H, W], got [${a.shape.join(', ')}]`);
  if (!training || p === 0) return a;
  const planes = a.shape[0] * a.shape[1];
  const inner = a.data.length / planes;
  const keep = p === 1 ? 0 : 1 / (1 - p);
  const scale = new Float32Array(planes);
  for (let i = 0; i < planes; i++) scale[i] = generator.random() >= p ? keep : 0;
  const x = a.data;
  const out = new Float32Array(x.length);
  for (let c = 0, i = 0; c < planes; c++) {
    const s = scale[c];
    for (let k = 0; k < inner; k++, i++) out[i] = x[i] * s;
  }
  const r = new Tensor(out, a.shape);
  if (!needsGrad(a)) return r;
  return record(r, 'dropout2d', [a], (g) => {
    const ga = gradArray(g.length);
    for (let c = 0, i = 0; c < planes; c++) {
      const s = scale[c];
      for (let k = 0; k < inner; k++, i++) ga[i] = g[i] * s;
    }
    accumulateOwned(a, ga);
  });
}
