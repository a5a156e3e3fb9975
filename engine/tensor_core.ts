/**
 * The Tensor's data and autograd state: float32, n-dimensional, row-major, always contiguous. Its op methods
 * (add, matmul, reshape, ...) are installed by engine/tensor.ts, so this module imports no op and the
 * ops import it without a cycle (tfjs-core's chained-op augmentation). Ops never share storage with their
 * inputs except `reshape`/`view`/`detach`, which share it on purpose (as in PyTorch), so in-place updates
 * through `.data` under `noGrad` are visible through every view.
 */
import { type GradFn, runBackward } from './autograd';
import { formatShape, shapesEqual, sizeOf } from './shape';

export type TensorLike = Tensor | number;

// ---- write tracking ------------------------------------------------------------------------------------
// Kernels may keep a copy of a parameter in WebAssembly memory between calls (engine/kernels/wasm_gemm.ts)
// and must know when it went stale. A storage (the Float32Array, shared by every view of it, as PyTorch's
// version counter is) is tracked once registered; its counter moves on every possible write, which for a
// Parameter means every read of `.data` from outside the kernels (engine/nn/parameter.ts): `.data` hands
// out a writable array, so a read must count as a write. The epoch moves at the end of every backward()
// so that a reference to `.data` kept across steps (a hand-written SGD loop) cannot leave a stale copy.
const versions = new WeakMap<Float32Array, number>();
let epoch = 0;

/** Starts counting writes to this storage (idempotent). */
export function trackWrites(data: Float32Array): void {
  if (!versions.has(data)) versions.set(data, 0);
}

/** Notes a (possible) write to a tracked storage; untracked ones are ignored. */
export function noteWrite(data: Float32Array): void {
  const v = versions.get(data);
  if (v !== undefined) versions.set(data, v + 1);
}

/**
 * The storage's write counter, or undefined when it is not tracked (then no copy of it may be kept). A copy
 * is current while both this and backwardEpoch() are what they were when it was made.
 */
export function writeVersion(data: Float32Array): number | undefined {
  return versions.get(data);
}

/** How many backward() calls have finished (see the comment above trackWrites). */
export function backwardEpoch(): number {
  return epoch;
}

/** A tensor's storage without counting a write: for kernels that only read it (see trackTensorWrites). */
export function storageOf(t: Tensor): Float32Array {
  return (t as { _storage?: Float32Array })._storage ?? t.data;
}

/**
 * `.data` of a tensor over a tracked storage (a Parameter, and every view of one: reshape, view, detach):
 * every read counts as a write, since the array it hands out is writable; kernels use storageOf().
 */
const TRACKED_DATA: PropertyDescriptor = {
  get(this: { _storage: Float32Array }): Float32Array {
    noteWrite(this._storage);
    return this._storage;
  },
  set(this: { _storage: Float32Array }, d: Float32Array): void {
    this._storage = d;
    trackWrites(d);
    noteWrite(d);
  },
  enumerable: true,
  configurable: true,
};

/** Starts counting writes to t's storage through t and through every tensor made over it later. */
export function trackTensorWrites(t: Tensor): void {
  const holder = t as unknown as { _storage?: Float32Array };
  if (holder._storage !== undefined) return;
  trackWrites(t.data);
  holder._storage = t.data;
  Object.defineProperty(t, 'data', TRACKED_DATA);
}
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
    // A view of a Parameter's storage: writes through it must reach the kernels' resident copies too.
    if (versions.has(data)) trackTensorWrites(this);
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
      throw new Error(
        'backward(): this tensor does not require grad and has no grad_fn (did you compute it under noGrad, or from tensors without requiresGrad?)',
      );
    }
    let g: Float32Array;
    if (grad === undefined) {
      if (this.data.length !== 1) {
        throw new Error(
          `backward(): a gradient can be created implicitly only for a one-element output, this one has shape ${formatShape(this.shape)}`,
        );
      }
      g = new Float32Array(1).fill(1);
    } else {
      if (!shapesEqual(grad.shape, this.shape)) {
        throw new Error(`backward(): gradient shape ${formatShape(grad.shape)} does not match tensor shape ${formatShape(this.shape)}`);
      }
      g = grad.data.slice();
    }
    try {
      runBackward(this, g, options.retainGraph ?? false);
    } finally {
      epoch++;
    }
  }

  /** Turns a finished gradient buffer into the `.grad` tensor of this leaf. */
  _makeGrad(g: Float32Array): Tensor {
    return new Tensor(g, this.shape);
  }

  /** Nested JS arrays of numbers, like `tensor.tolist()`. */
  toArray(): NestedArray {
    // One read of .data: on a tracked storage each read counts as a write (see trackTensorWrites).
    const data = this.data;
    if (this.shape.length === 0) return data[0];
    const build = (dim: number, offset: number): NestedArray[] => {
      const n = this.shape[dim];
      let stride = 1;
      for (let i = dim + 1; i < this.shape.length; i++) stride *= this.shape[i];
      const out: NestedArray[] = [];
      for (let i = 0; i < n; i++) {
        out.push(dim === this.shape.length - 1 ? data[offset + i] : build(dim + 1, offset + i * stride));
      }
      return out;
    };
    return build(0, 0);
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

  /** True when any value is NaN or infinite: the cheap check a training loop runs on each loss. */
  isFinite(): boolean {
    const d = this.data;
    for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return false;
    return true;
  }
}
