import type { Tensor } from '../tensor';
import * as ops from '../ops';
import { Module } from './module';
import { formatShape, normDim } from '../shape';

/** Flattens dimensions startDim..endDim (by default all but the batch dimension). */
export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return ops.flatten(x, this.startDim, this.endDim);
  }
  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

export class Identity extends Module {
  override forward(x: Tensor): Tensor {
    return x;
  }
}

/** Randomly zeroes inputs with probability p while training; the identity in eval mode. */
export class Dropout extends Module {
  constructor(readonly p = 0.5) {
    super();
    if (!(p >= 0 && p <= 1)) throw new Error(`Dropout: probability must be in [0, 1], got ${p}`);
  }
  override forward(x: Tensor): Tensor {
    return ops.dropout(x, this.p, this.training);
  }
  override extraRepr(): string {
    return `p=${this.p}, inplace=False`;
  }
}

/** Zeroes whole channels of [N, C, H, W] with probability p while training; the identity in eval mode. */
export class Dropout2d extends Module {
  constructor(readonly p = 0.5) {
    super();
    if (!(p >= 0 && p <= 1)) throw new Error(`Dropout2d: probability must be in [0, 1], got ${p}`);
  }
  override forward(x: Tensor): Tensor {
    return ops.dropout2d(x, this.p, this.training);
  }
  override extraRepr(): string {
    return `p=${this.p}, inplace=False`;
  }
}

/** Splits dimension `dim` into unflattenedSize (one entry may be -1), the inverse of Flatten. */
export class Unflatten extends Module {
  readonly unflattenedSize: number[];
  constructor(
    readonly dim: number,
    unflattenedSize: number[],
  ) {
    super();
    if (unflattenedSize.length === 0) throw new Error('Unflatten: unflattenedSize must not be empty');
    this.unflattenedSize = unflattenedSize.slice();
  }
  override forward(x: Tensor): Tensor {
    const d = normDim('Unflatten', this.dim, x.shape.length);
    const known = this.unflattenedSize.reduce((a, v) => (v === -1 ? a : a * v), 1);
    const free = this.unflattenedSize.filter((v) => v === -1).length;
    const n = x.shape[d];
    if (free > 1 || (free === 0 ? known !== n : known === 0 || n % known !== 0)) {
      throw new Error(
        `Unflatten: dimension ${this.dim} of size ${n} (input ${formatShape(x.shape)}) cannot be unflattened into ${formatShape(this.unflattenedSize)}`,
      );
    }
    const sizes = this.unflattenedSize.map((v) => (v === -1 ? n / known : v));
    return ops.reshape(x, [...x.shape.slice(0, d), ...sizes, ...x.shape.slice(d + 1)]);
  }
  override extraRepr(): string {
    return `dim=${this.dim}, unflattened_size=(${this.unflattenedSize.join(', ')})`;
  }
}

/** Resizes [N, C, H, W] to a size or by a scale factor, 'nearest' or 'bilinear'. */
export class Upsample extends Module {
  readonly options: ops.UpsampleOptions;
  constructor(options: ops.UpsampleOptions) {
    super();
    if ((options.size === undefined) === (options.scaleFactor === undefined)) throw new Error('Upsample: give exactly one of size and scaleFactor');
    this.options = { ...options };
  }
  override forward(x: Tensor): Tensor {
    return ops.upsample(x, this.options);
  }
  override extraRepr(): string {
    const o = this.options;
    const v = (x: number | readonly number[]): string => (typeof x === 'number' ? String(x) : `(${x.join(', ')})`);
    const what = o.size !== undefined ? `size=${v(o.size)}` : `scale_factor=${v(o.scaleFactor!)}`;
    return `${what}, mode='${o.mode ?? 'nearest'}'`;
  }
}

/** Pads the last two dimensions with zeros: one amount for all sides or [left, right, top, bottom]. */
export class ZeroPad2d extends Module {
  readonly padding: [number, number, number, number];
  constructor(padding: number | [number, number, number, number]) {
    super();
    this.padding = typeof padding === 'number' ? [padding, padding, padding, padding] : [padding[0], padding[1], padding[2], padding[3]];
    if (this.padding.some((v) => !Number.isInteger(v))) throw new Error(`ZeroPad2d: padding must be integers, got ${JSON.stringify(padding)}`);
  }
  override forward(x: Tensor): Tensor {
    return ops.zeroPad2d(x, this.padding);
  }
  override extraRepr(): string {
    return `(${this.padding.join(', ')})`;
  }
}
