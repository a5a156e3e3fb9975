/**
 * The Tensor with its op methods. The class itself lives in tensor_core.ts and imports no op; this module
 * installs the chained methods (`x.add(y)`, `x.reshape(2, 3)`, ...) on its prototype from the ops, as
 * tfjs-core's chained-op augmentation does, and the declaration below adds them to the type. Everything
 * outside engine/ops imports Tensor from here, so the methods are always installed where they are used.
 */
import { Tensor, type TensorLike, type NestedArray } from './tensor_core';
import * as ops from './ops';

export { Tensor, type TensorLike, type NestedArray };

/** The chained methods, written once: their prototype's members are copied onto Tensor's. */
abstract class TensorMethods {
  clone(this: Tensor): Tensor {
    return ops.clone(this);
  }
  toString(this: Tensor): string {
    return ops.formatTensor(this);
  }

  // Arithmetic (broadcasting like NumPy and PyTorch).
  add(this: Tensor, other: TensorLike): Tensor {
    return ops.add(this, other);
  }
  sub(this: Tensor, other: TensorLike): Tensor {
    return ops.sub(this, other);
  }
  mul(this: Tensor, other: TensorLike): Tensor {
    return ops.mul(this, other);
  }
  div(this: Tensor, other: TensorLike): Tensor {
    return ops.div(this, other);
  }
  neg(this: Tensor): Tensor {
    return ops.neg(this);
  }
  pow(this: Tensor, exponent: number): Tensor {
    return ops.pow(this, exponent);
  }
  exp(this: Tensor): Tensor {
    return ops.exp(this);
  }
  log(this: Tensor): Tensor {
    return ops.log(this);
  }
  sqrt(this: Tensor): Tensor {
    return ops.sqrt(this);
  }
  abs(this: Tensor): Tensor {
    return ops.abs(this);
  }
  clamp(this: Tensor, min: number | null, max: number | null = null): Tensor {
    return ops.clamp(this, min, max);
  }
  matmul(this: Tensor, other: Tensor): Tensor {
    return ops.matmul(this, other);
  }

  // Activations.
  tanh(this: Tensor): Tensor {
    return ops.tanh(this);
  }
  sigmoid(this: Tensor): Tensor {
    return ops.sigmoid(this);
  }
  relu(this: Tensor): Tensor {
    return ops.relu(this);
  }
  leakyRelu(this: Tensor, negativeSlope = 0.01): Tensor {
    return ops.leakyRelu(this, negativeSlope);
  }
  gelu(this: Tensor): Tensor {
    return ops.gelu(this);
  }
  step(this: Tensor): Tensor {
    return ops.step(this);
  }
  softmax(this: Tensor, dim: number): Tensor {
    return ops.softmax(this, dim);
  }
  logSoftmax(this: Tensor, dim: number): Tensor {
    return ops.logSoftmax(this, dim);
  }

  // Reductions.
  sum(this: Tensor, dim?: number | number[], keepdim = false): Tensor {
    return ops.sum(this, dim, keepdim);
  }
  mean(this: Tensor, dim?: number | number[], keepdim = false): Tensor {
    return ops.mean(this, dim, keepdim);
  }
  max(this: Tensor, dim?: number, keepdim = false): Tensor {
    return ops.max(this, dim, keepdim);
  }
  min(this: Tensor, dim?: number, keepdim = false): Tensor {
    return ops.min(this, dim, keepdim);
  }
  argmax(this: Tensor, dim?: number, keepdim = false): Tensor {
    return ops.argmax(this, dim, keepdim);
  }

  // Shape.
  reshape(this: Tensor, ...shape: number[] | [number[]]): Tensor {
    return ops.reshape(this, flatArgs(shape));
  }
  view(this: Tensor, ...shape: number[] | [number[]]): Tensor {
    return ops.reshape(this, flatArgs(shape));
  }
  flatten(this: Tensor, startDim = 0, endDim = -1): Tensor {
    return ops.flatten(this, startDim, endDim);
  }
  squeeze(this: Tensor, dim?: number): Tensor {
    return ops.squeeze(this, dim);
  }
  unsqueeze(this: Tensor, dim: number): Tensor {
    return ops.unsqueeze(this, dim);
  }
  transpose(this: Tensor, dim0: number, dim1: number): Tensor {
    return ops.transpose(this, dim0, dim1);
  }
  permute(this: Tensor, ...dims: number[]): Tensor {
    return ops.permute(this, dims);
  }
  /** The transpose of a matrix (rank <= 2), as `tensor.t()`. */
  t(this: Tensor): Tensor {
    return this.shape.length < 2 ? this : ops.transpose(this, 0, 1);
  }
  get T(): Tensor {
    return (this as unknown as Tensor).t();
  }
  narrow(this: Tensor, dim: number, start: number, length: number): Tensor {
    return ops.narrow(this, dim, start, length);
  }

  // Comparisons give 0/1 float tensors and carry no gradient.
  gt(this: Tensor, other: TensorLike): Tensor {
    return ops.compare(this, other, 'gt');
  }
  ge(this: Tensor, other: TensorLike): Tensor {
    return ops.compare(this, other, 'ge');
  }
  lt(this: Tensor, other: TensorLike): Tensor {
    return ops.compare(this, other, 'lt');
  }
  le(this: Tensor, other: TensorLike): Tensor {
    return ops.compare(this, other, 'le');
  }
  eq(this: Tensor, other: TensorLike): Tensor {
    return ops.compare(this, other, 'eq');
  }
}

function flatArgs(shape: number[] | [number[]]): number[] {
  return shape.length === 1 && Array.isArray(shape[0]) ? (shape[0] as number[]) : (shape as number[]);
}

declare module './tensor_core' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Tensor extends TensorMethods {}
}

for (const name of Object.getOwnPropertyNames(TensorMethods.prototype)) {
  if (name === 'constructor') continue;
  Object.defineProperty(Tensor.prototype, name, Object.getOwnPropertyDescriptor(TensorMethods.prototype, name)!);
}
