/** Data sets in PyTorch's sense: an indexable collection of samples, each a tuple of tensors. */
import { Tensor } from '../tensor';
import { formatShape } from '../shape';

export interface Dataset {
  readonly length: number;
  /** Sample i as a tuple of tensors (e.g. [features, label]). */
  get(i: number): Tensor[];
}

/** Wraps tensors that share their first dimension; sample i is row i of each, like torch's TensorDataset. */
export class TensorDataset implements Dataset {
  readonly tensors: Tensor[];

  constructor(...tensors: Tensor[]) {
    if (tensors.length === 0) throw new Error('TensorDataset: expected at least one tensor');
    const n = tensors[0].shape[0];
    for (const t of tensors) {
      if (t.shape.length === 0 || t.shape[0] !== n) {
        throw new Error(`TensorDataset: all tensors need the same first dimension, got ${tensors.map((x) => formatShape(x.shape)).join(', ')}`);
      }
    }
    this.tensors = tensors;
  }

  get length(): number {
    return this.tensors[0].shape[0];
  }

  get(i: number): Tensor[] {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) throw new Error(`TensorDataset: index ${i} out of range for ${this.length} samples`);
    return this.tensors.map((t) => {
      const row = t.data.length / t.shape[0];
      return new Tensor(t.data.slice(i * row, (i + 1) * row), t.shape.slice(1));
    });
  }

  /** Rows `indices` of every tensor, gathered into one batch tensor each. */
  gather(indices: ArrayLike<number>): Tensor[] {
    return this.tensors.map((t) => {
      const row = t.data.length / t.shape[0];
      const out = new Float32Array(indices.length * row);
      for (let k = 0; k < indices.length; k++) {
        const from = indices[k] * row;
        out.set(t.data.subarray(from, from + row), k * row);
      }
      return new Tensor(out, [indices.length, ...t.shape.slice(1)]);
    });
  }
}

/** Rows [start, end) of a dataset as a dataset of its own, for validation splits. */
export class Subset implements Dataset {
  constructor(
    readonly dataset: Dataset,
    readonly indices: Int32Array | number[],
  ) {}
  get length(): number {
    return this.indices.length;
  }
  get(i: number): Tensor[] {
    return this.dataset.get(this.indices[i]);
  }
}
