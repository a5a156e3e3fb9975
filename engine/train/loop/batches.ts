/**
 * The training rows as mini-batches: the batch size and steps per epoch, each epoch's permutation drawn
 * from the run's own shuffle generator (whose state at the epoch's start a checkpoint keeps, so a resumed
 * run redraws the same permutation), and input/label buffers reused across steps.
 */
import { Tensor } from '../../tensor';
import { Generator } from '../../random';
import { TensorRows, type SampleRows } from '../rows';
import type { LoopState } from '../checkpoint';

export interface BatchConfig {
  /** null: the whole training set in one batch. */
  batchSize: number | null;
  dropLast: boolean;
  shuffle: boolean;
  seed: number;
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function identity(n: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  return p;
}

export class Batches {
  readonly size: number;
  readonly stepsPerEpoch: number;
  /** Shuffling one full batch changes nothing but the summation order, so it is skipped (as the tutorials do). */
  private readonly shuffles: boolean;
  private readonly shuffle: Generator;
  /** Float rows in one unshuffled batch are the batch itself; images are converted and transformed per batch. */
  private readonly whole: boolean;
  private perm: Int32Array | null = null;
  private readonly xBuf: Float32Array;
  private readonly yBuf: Float32Array;
  private readonly xb: Tensor;
  private readonly yb: Tensor;

  constructor(
    private readonly rows: SampleRows,
    c: BatchConfig,
  ) {
    const n = rows.length;
    this.size = c.batchSize === null ? n : Math.min(c.batchSize, n);
    this.stepsPerEpoch = c.dropLast ? Math.floor(n / this.size) : Math.ceil(n / this.size);
    if (this.stepsPerEpoch === 0)
      throw new Error(`batch size ${c.batchSize} is larger than the ${n} training samples and dropLast is on: lower the batch size`);
    this.shuffles = c.shuffle && this.stepsPerEpoch > 1;
    this.shuffle = new Generator((c.seed ^ 0x5eed) >>> 0);
    this.whole = rows instanceof TensorRows && this.size === n && !this.shuffles;
    this.xBuf = new Float32Array(this.size * sizeOf(rows.xShape));
    this.yBuf = new Float32Array(this.size * sizeOf(rows.yShape));
    this.xb = new Tensor(this.xBuf, [this.size, ...rows.xShape]);
    this.yb = new Tensor(this.yBuf, [this.size, ...rows.yShape]);
  }

  /** The shuffle generator's state now (a fresh run's, before its first epoch). */
  shuffleState(): number[] {
    return this.shuffle.getState();
  }

  /** The batch at `s.batchInEpoch` of the epoch in progress (the last, shorter batch gets its own buffers). */
  next(s: LoopState): [Tensor, Tensor] {
    const rows = this.rows;
    if (this.whole) return rows.slice(0, rows.length);
    const n = rows.length;
    if (this.perm === null) {
      s.shuffleState = this.shuffle.getState();
      this.perm = this.shuffles ? this.shuffle.permutation(n) : identity(n);
    }
    const from = s.batchInEpoch * this.size;
    const to = Math.min(from + this.size, n);
    if (to - from === this.size) {
      rows.gather(this.perm, from, to, this.xBuf, this.yBuf);
      return [this.xb, this.yb];
    }
    const xs = new Float32Array((to - from) * sizeOf(rows.xShape));
    const ys = new Float32Array((to - from) * sizeOf(rows.yShape));
    rows.gather(this.perm, from, to, xs, ys);
    return [new Tensor(xs, [to - from, ...rows.xShape]), new Tensor(ys, [to - from, ...rows.yShape])];
  }

  /** The next epoch draws a new permutation. */
  endEpoch(): void {
    this.perm = null;
  }

  /** Before a checkpoint: between epochs, the state the next permutation will be drawn from. */
  capture(s: LoopState): void {
    if (this.perm === null) s.shuffleState = this.shuffle.getState();
  }

  /** After a checkpoint is loaded into `s`: the epoch in progress redraws its permutation. */
  restore(s: LoopState): void {
    this.shuffle.setState(s.shuffleState);
    this.perm = null;
  }
}
