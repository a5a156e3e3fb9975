/**
 * The Tensor: float32, n-dimensional, row-major, always contiguous. Ops never share storage with their
 * inputs except `reshape`/`view`/`detach`, which share it on purpose (as in PyTorch), so in-place updates
 * through `.data` under `noGrad` are visible through every view.
 */
import { type GradFn, runBackward } from './autograd';
import { formatShape, shapesEqual, sizeOf } from './shape';
import * as ops from './ops';

export type TensorLike = Tensor | number;
export type NestedArray = number | NestedArray[];

export class Tensor {
  data: Float32Array;
  shape: number[];
  grad: Tensor | null = null;
  requiresGrad: boolean;
  /**
   * The element type the values stand for when saved. Values are always held as float32 (exact for
   * integers up to 2^24); 'int64' marks a counter such as BatchNorm's num_batches_tracked, which
   * safetensors files then store as I64, the dtype PyTorch's load_state_dict expects.
   */
  dtype: 'float32' | 'int64' = 'float32';
  /** How this tensor was computed; null for leaves. */
  _ctx: GradFn | null = null;
  /** Gradient flowing through during backward(); null otherwise. */
  _g: Float32Array | null = null;
  /** Traversal mark of the last backward() that reached this tensor. */
  _visit = 0;

  constructor(data: Float32Array, shape: readonly number[], requiresGrad = false) {
    if (data.length !== sizeOf(shape)) {
      throw new Error(`Tensor: ${data.length} values do not fill shape ${formatShape(shape)} (${sizeOf(shape)} needed)`);
    }
    this.data = data;
    this.shape = shape.slice();
    this.requiresGrad = requiresGrad;
  }

  get size(): number {
    return this.data.length;
  }

  get ndim(): number {
    return this.shape.length;
  }

  numel(): number {
    return this.data.length;
  }

  dim(): number {
    return this.shape.length;
  }

  /** The shape, or one dimension of it (negative counts from the end), like `tensor.size(d)` in PyTorch. */
  sizeAt(d: number): number {
    const i = d < 0 ? d + this.shape.length : d;
    if (i < 0 || i >= this.shape.length) throw new Error(`sizeAt: dimension ${d} out of range for shape ${formatShape(this.shape)}`);
    return this.shape[i];
  }

  get isLeaf(): boolean {
    return this._ctx === null;
  }

  /** The single value of a one-element tensor as a JS number. */
  item(): number {
    if (this.data.length !== 1) {
      throw new Error(`item(): only a one-element tensor converts to a number, this one has shape ${formatShape(this.shape)}`);
    }
    return this.data[0];
  }

  /** Shares storage and leaves the graph, like PyTorch's detach(). */
  detach(): Tensor {
    const t = new Tensor(this.data, this.shape, false);
    t.dtype = this.dtype;
    return t;
  }

  requiresGrad_(value = true): this {
    if (this._ctx !== null && !value) {
      throw new Error('requiresGrad_(false): only leaf tensors can be switched off; use detach() on a computed tensor');
    }
    this.requiresGrad = value;
    return this;
  }

  /**
   * Backpropagates from this tensor. Without an explicit gradient the tensor must hold one value (a loss).
   * Gradients accumulate into `.grad` of leaves until they are zeroed, as in PyTorch.
   */
  backward(grad?: Tensor, options: { retainGraph?: boolean } = {}): void {
    if (!this.requiresGrad) {
      throw new Error('backward(): this tensor does not require grad and has no grad_fn (did you compute it under noGrad, or from tensors without requiresGrad?)');
    }
    let g: Float32Array;
    if (grad === undefined) {
      if (this.data.length !== 1) {
        throw new Error(`backward(): a gradient can be created implicitly only for a one-element output, this one has shape ${formatShape(this.shape)}`);
      }
      g = new Float32Array(1).fill(1);
    } else {
      if (!shapesEqual(grad.shape, this.shape)) {
        throw new Error(`backward(): gradient shape ${formatShape(grad.shape)} does not match tensor shape ${formatShape(this.shape)}`);
      }
      g = grad.data.slice();
    }
    runBackward(this, g, options.retainGraph ?? false);
  }

  /** Turns a finished gradient buffer into the `.grad` tensor of this leaf. */
  _makeGrad(g: Float32Array): Tensor {
    return new Tensor(g, this.shape);
  }

  clone(): Tensor {
    return ops.clone(this);
  }

  /** Nested JS arrays of numbers, like `tensor.tolist()`. */
  toArray(): NestedArray {
    if (this.shape.length === 0) return this.data[0];
    const build = (dim: number, offset: number): NestedArray[] => {
      const n = this.shape[dim];
      let stride = 1;
      for (let i = dim + 1; i < this.shape.length; i++) stride *= this.shape[i];
      const out: NestedArray[] = [];
      for (let i = 0; i < n; i++) {
        out.push(dim === this.shape.length - 1 ? this.data[offset + i] : build(dim + 1, offset + i * stride));
      }
      return out;
    };
    return build(0, 0);
  }

  toString(): string {
    return ops.formatTensor(this);
  }

  /**
   * Lets a one-element tensor stand for its number, as Python's `float(t)` and `if t > 1:` do, so the
   * tutorial's `while (x.abs().sum() > 1)` runs in JavaScript (TypeScript refuses `>` on objects: there
   * write `+x.abs().sum() > 1` or `.item()`). Without this, JavaScript would compare the printed text,
   * NaN, and such a loop would silently never run. A larger tensor in a numeric context is an error,
   * like Python's "Boolean value of Tensor with more than one value is ambiguous". Template strings
   * (`${t}`) keep the printed form; `'x = ' + t` is the bare number for a one-element tensor.
   */
  [Symbol.toPrimitive](hint: 'number' | 'string' | 'default'): number | string {
    if (hint === 'string') return this.toString();
    if (this.data.length === 1) return this.data[0];
    if (hint === 'default') return this.toString();
    throw new Error(
      `a tensor of shape ${formatShape(this.shape)} cannot be used as a number; only a one-element tensor can ` +
        '(reduce it first, e.g. .sum() or .max(), or compare elementwise with .gt())',
    );
  }

  // Arithmetic (broadcasting like NumPy and PyTorch).
  add(other: TensorLike): Tensor { return ops.add(this, other); }
  sub(other: TensorLike): Tensor { return ops.sub(this, other); }
  mul(other: TensorLike): Tensor { return ops.mul(this, other); }
  div(other: TensorLike): Tensor { return ops.div(this, other); }
  neg(): Tensor { return ops.neg(this); }
  pow(exponent: number): Tensor { return ops.pow(this, exponent); }
  exp(): Tensor { return ops.exp(this); }
  log(): Tensor { return ops.log(this); }
  sqrt(): Tensor { return ops.sqrt(this); }
  abs(): Tensor { return ops.abs(this); }
  clamp(min: number | null, max: number | null = null): Tensor { return ops.clamp(this, min, max); }
  matmul(other: Tensor): Tensor { return ops.matmul(this, other); }

  // Activations.
  tanh(): Tensor { return ops.tanh(this); }
  sigmoid(): Tensor { return ops.sigmoid(this); }
  relu(): Tensor { return ops.relu(this); }
  leakyRelu(negativeSlope = 0.01): Tensor { return ops.leakyRelu(this, negativeSlope); }
  gelu(): Tensor { return ops.gelu(this); }
  step(): Tensor { return ops.step(this); }
  softmax(dim: number): Tensor { return ops.softmax(this, dim); }
  logSoftmax(dim: number): Tensor { return ops.logSoftmax(this, dim); }

  // Reductions.
  sum(dim?: number | number[], keepdim = false): Tensor { return ops.sum(this, dim, keepdim); }
  mean(dim?: number | number[], keepdim = false): Tensor { return ops.mean(this, dim, keepdim); }
  max(dim?: number, keepdim = false): Tensor { return ops.max(this, dim, keepdim); }
  min(dim?: number, keepdim = false): Tensor { return ops.min(this, dim, keepdim); }
  argmax(dim?: number, keepdim = false): Tensor { return ops.argmax(this, dim, keepdim); }

  // Shape.
  reshape(...shape: number[] | [number[]]): Tensor { return ops.reshape(this, flatArgs(shape)); }
  view(...shape: number[] | [number[]]): Tensor { return ops.reshape(this, flatArgs(shape)); }
  flatten(startDim = 0, endDim = -1): Tensor { return ops.flatten(this, startDim, endDim); }
  squeeze(dim?: number): Tensor { return ops.squeeze(this, dim); }
  unsqueeze(dim: number): Tensor { return ops.unsqueeze(this, dim); }
  transpose(dim0: number, dim1: number): Tensor { return ops.transpose(this, dim0, dim1); }
  permute(...dims: number[]): Tensor { return ops.permute(this, dims); }
  /** The transpose of a matrix (rank <= 2), as `tensor.t()`. */
  t(): Tensor { return this.shape.length < 2 ? this : ops.transpose(this, 0, 1); }
  get T(): Tensor { return this.t(); }
  narrow(dim: number, start: number, length: number): Tensor { return ops.narrow(this, dim, start, length); }

  // Comparisons give 0/1 float tensors and carry no gradient.
  gt(other: TensorLike): Tensor { return ops.compare(this, other, 'gt'); }
  ge(other: TensorLike): Tensor { return ops.compare(this, other, 'ge'); }
  lt(other: TensorLike): Tensor { return ops.compare(this, other, 'lt'); }
  le(other: TensorLike): Tensor { return ops.compare(this, other, 'le'); }
  eq(other: TensorLike): Tensor { return ops.compare(this, other, 'eq'); }

  /** True when any value is NaN or infinite: the cheap check a training loop runs on each loss. */
  isFinite(): boolean {
    const d = this.data;
    for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return false;
    return true;
  }
}

function flatArgs(shape: number[] | [number[]]): number[] {
  return shape.length === 1 && Array.isArray(shape[0]) ? (shape[0] as number[]) : (shape as number[]);
}
