import { Tensor } from '../tensor_core';
import { accumulateOwned, needsGradAny, record } from '../autograd';
import { gradArray } from '../buffer_pool';
import { formatShape, normDim, shapesEqual, splitAt } from '../shape';

/** Concatenates tensors along `dim`; all other dimensions must agree. */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new Error('cat: expected at least one tensor');
  const first = tensors[0];
  const d = normDim('cat', dim, first.shape.length);
  for (const t of tensors) {
    const ok = t.shape.length === first.shape.length && t.shape.every((s, i) => i === d || s === first.shape[i]);
    if (!ok) {
      throw new Error(`cat: shapes ${tensors.map((x) => formatShape(x.shape)).join(', ')} differ outside dimension ${dim}`);
    }
  }
  const sizes = tensors.map((t) => t.shape[d]);
  const total = sizes.reduce((s, v) => s + v, 0);
  const shape = first.shape.slice();
  shape[d] = total;
  const [outer, , inner] = splitAt(shape, d);
  const out = new Float32Array(outer * total * inner);
  let offset = 0;
  for (let t = 0; t < tensors.length; t++) {
    const block = sizes[t] * inner;
    const src = tensors[t].data;
    for (let o = 0; o < outer; o++) out.set(src.subarray(o * block, (o + 1) * block), o * total * inner + offset);
    offset += block;
  }
  const r = new Tensor(out, shape);
  if (!needsGradAny(tensors)) return r;
  return record(r, 'cat', tensors.slice(), (g) => {
    let off = 0;
    for (let t = 0; t < tensors.length; t++) {
      const block = sizes[t] * inner;
      if (tensors[t].requiresGrad) {
        const gt = gradArray(outer * block);
        for (let o = 0; o < outer; o++) gt.set(g.subarray(o * total * inner + off, o * total * inner + off + block), o * block);
        accumulateOwned(tensors[t], gt);
      }
      off += block;
    }
  });
}

/** Stacks equal-shaped tensors along a new dimension. */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new Error('stack: expected at least one tensor');
  // Checked here, not left to cat, so that the error names the shapes the caller passed.
  const first = tensors[0].shape;
  tensors.forEach((t, i) => {
    if (!shapesEqual(t.shape, first)) {
      throw new Error(`stack: tensors must have equal shapes, got ${formatShape(first)} at entry 0 and ${formatShape(t.shape)} at entry ${i}`);
    }
  });
  const d = normDim('stack', dim, first.length + 1);
  return cat(
    tensors.map((t) => t.unsqueeze(d)),
    d,
  );
}
