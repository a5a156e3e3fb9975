/** Mini-batches over a data set, like torch.utils.data.DataLoader (single process, which suits small data). */
import { Tensor } from '../tensor';
import { defaultGenerator, type Generator } from '../random';
import { stack } from '../ops';
import { Subset, TensorDataset, type Dataset } from './dataset';

export interface DataLoaderOptions {
  batchSize?: number;
  /** Draw a new order every epoch from `generator` (seeded, so runs are reproducible). */
  shuffle?: boolean;
  /** Skip a last batch smaller than batchSize. */
  dropLast?: boolean;
  generator?: Generator;
}

export class DataLoader implements Iterable<Tensor[]> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly generator: Generator;

  constructor(
    readonly dataset: Dataset,
    options: DataLoaderOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 1;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) {
      throw new Error(`DataLoader: batchSize must be a positive integer, got ${options.batchSize}`);
    }
    this.shuffle = options.shuffle ?? false;
    this.dropLast = options.dropLast ?? false;
    this.generator = options.generator ?? defaultGenerator;
  }

  /** Number of batches per epoch. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  *[Symbol.iterator](): Iterator<Tensor[]> {
    const n = this.dataset.length;
    const order = this.shuffle ? this.generator.permutation(n) : null;
    const batches = this.length;
    for (let b = 0; b < batches; b++) {
      const start = b * this.batchSize;
      const end = Math.min(n, start + this.batchSize);
      const indices = new Int32Array(end - start);
      for (let k = 0; k < indices.length; k++) indices[k] = order === null ? start + k : order[start + k];
      yield this.collate(indices);
    }
  }

  private collate(indices: Int32Array): Tensor[] {
    const ds = this.dataset;
    if (ds instanceof TensorDataset) return ds.gather(indices);
    if (ds instanceof Subset && ds.dataset instanceof TensorDataset) {
      const inner = ds.dataset;
      return inner.gather(Array.from(indices, (i) => ds.indices[i]));
    }
    const samples = Array.from(indices, (i) => ds.get(i));
    return samples[0].map((_, k) =>
      stack(
        samples.map((s) => s[k]),
        0,
      ),
    );
  }
}
