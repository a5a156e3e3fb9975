import { Tensor } from '../tensor';
import { noteWrite, trackWrites } from '../tensor_core';

/**
 * `.data` of a Parameter: every read counts as a write (the array it hands out is writable), so that
 * kernels keeping a copy of the weights in WebAssembly memory (engine/kernels/wasm_gemm.ts) see optimizer
 * steps, loadStateDict, init and hand edits alike. Kernels that only read use storageOf() instead.
 */
const DATA: PropertyDescriptor = {
  get(this: Parameter): Float32Array {
    noteWrite(this._storage);
    return this._storage;
  },
  set(this: Parameter, d: Float32Array): void {
    this._storage = d;
    trackWrites(d);
    noteWrite(d);
  },
  enumerable: true,
  configurable: true,
};

/** A tensor that a Module trains: assigning one to a module property registers it, as in PyTorch. */
export class Parameter extends Tensor {
  /** The storage behind `.data` (see DATA). */
  declare _storage: Float32Array;

  /** Wraps a tensor's storage (shared, not copied). */
  constructor(t: Tensor, requiresGrad = true) {
    super(t.data, t.shape, requiresGrad);
    this._storage = t.data;
    trackWrites(this._storage);
    Object.defineProperty(this, 'data', DATA);
  }

  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}
