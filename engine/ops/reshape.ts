import { Tensor } from '../tensor_core';
import { accumulate, needsGrad, record } from '../autograd';
import { formatShape, normDim, sizeOf } from '../shape';

/** A new shape over the same storage (one dimension may be -1 and is inferred), like `view`/`reshape`. */
export function reshape(a: Tensor, shape: readonly number[]): Tensor {
  const target = inferShape(a, shape);
  const r = new Tensor(a.data, target);
  return needsGrad(a) ? record(r, 'reshape', [a], (g) => accumulate(a, g)) : r;
}

/** Flattens dimensions startDim..endDim into one. */
export function flatten(a: Tensor, startDim = 0, endDim = -1): Tensor {
  if (a.shape.length === 0) return reshape(a, [1]);
  const s = normDim('flatten', startDim, a.shape.length);
  const e = normDim('flatten', endDim, a.shape.length);
  if (s > e) throw new Error(`flatten: startDim ${startDim} comes after endDim ${endDim} for shape ${formatShape(a.shape)}`);
  const shape = [...a.shape.slice(0, s), sizeOf(a.shape.slice(s, e + 1)), ...a.shape.slice(e + 1)];
  return reshape(a, shape);
}

/** Removes size-1 dimensions (all of them, or just `dim`). */
export function squeeze(a: Tensor, dim?: number): Tensor {
  if (dim === undefined)
    return reshape(
      a,
      a.shape.filter((d) => d !== 1),
    );
  const d = normDim('squeeze', dim, a.shape.length);
  if (a.shape[d] !== 1) return reshape(a, a.shape);
  return reshape(
    a,
    a.shape.filter((_, i) => i !== d),
  );
}

/** Inserts a size-1 dimension at `dim`. */
export function unsqueeze(a: Tensor, dim: number): Tensor {
  const d = normDim('unsqueeze', dim, a.shape.length + 1);
  const shape = a.shape.slice();
  shape.splice(d, 0, 1);
  return reshape(a, shape);
}

function inferShape(a: Tensor, shape: readonly number[]): number[] {
  const free = shape.indexOf(-1);
  if (free !== shape.lastIndexOf(-1)) throw new Error(`reshape: only one dimension can be -1, got ${formatShape(shape)}`);
  const out = shape.slice();
  if (free >= 0) {
    const known = sizeOf(shape.filter((d) => d !== -1));
    if (known === 0 || a.data.length % known !== 0) {
      throw new Error(`reshape: shape ${formatShape(shape)} is invalid for a tensor of ${a.data.length} values (shape ${formatShape(a.shape)})`);
    }
    out[free] = a.data.length / known;
  }
  if (out.some((d) => !Number.isInteger(d) || d < 0) || sizeOf(out) !== a.data.length) {
    throw new Error(`reshape: shape ${formatShape(shape)} is invalid for a tensor of ${a.data.length} values (shape ${formatShape(a.shape)})`);
  }
  return out;
}
