import { Tensor } from '../tensor';
import { trackTensorWrites } from '../tensor_core';

/**
 * A tensor that a Module trains: assigning one to a module property registers it, as in PyTorch. Its
 * storage is write-tracked (engine/tensor_core.ts trackTensorWrites), so kernels may keep a copy of it in
 * WebAssembly memory between calls (engine/kernels/wasm_gemm.ts) and still see every change.
 */
export class Parameter extends Tensor {
  /** Wraps a tensor's storage (shared, not copied). */
  constructor(t: Tensor, requiresGrad = true) {
    super(t.data, t.shape, requiresGrad);
    trackTensorWrites(this);
  }

  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}
