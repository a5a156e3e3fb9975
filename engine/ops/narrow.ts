import { Tensor } from '../tensor_core';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { gradArray } from '../buffer_pool';
import { formatShape, normDim, splitAt } from '../shape';

/** The slice [start, start+length) along `dim` (a copy). */
export function narrow(a: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normDim('narrow', dim, a.shape.length);
  const size = a.shape[d];
  if (start < 0) start += size;
  if (!Number.isInteger(start) || !Number.isInteger(length) || start < 0 || length < 0 || start + length > size) {
    throw new Error(`narrow: slice ${start}..${start + length} is outside dimension ${dim} of shape ${formatShape(a.shape)}`);
  }
  const [outer, , inner] = splitAt(a.shape, d);
  const out = new Float32Array(outer * length * inner);
  for (let o = 0; o < outer; o++) {
    const from = (o * size + start) * inner;
    out.set(a.data.subarray(from, from + length * inner), o * length * inner);
  }
  const shape = a.shape.slice();
  shape[d] = length;
  const r = new Tensor(out, shape);
  if (!needsGrad(a)) return r;
  return record(r, 'narrow', [a], (g) => {
    const ga = gradArray(a.data.length);
    for (let o = 0; o < outer; o++) ga.set(g.subarray(o * length * inner, (o + 1) * length * inner), (o * size + start) * inner);
    accumulateOwned(a, ga);
  });
}
