import { Tensor } from '../tensor';

/** A tensor that a Module trains: assigning one to a module property registers it, as in PyTorch. */
export class Parameter extends Tensor {
  /** Wraps a tensor's storage (shared, not copied). */
  constructor(t: Tensor, requiresGrad = true) {
    super(t.data, t.shape, requiresGrad);
  }

  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}
