/**
 * Reverse-mode autograd in the micrograd style: every result of a differentiable op remembers its parents
 * and a closure that turns the gradient of its output into gradients of its inputs. `backward()` walks the
 * graph once in reverse topological order. Gradients are plain Float32Arrays while they flow, and become
 * `.grad` tensors only on leaves (parameters and user tensors with requiresGrad), as in PyTorch.
 */
import type { Tensor } from './tensor_core';
import { gradArray, releaseArray } from './buffer_pool';

export interface GradFn {
  readonly name: string;
  readonly parents: readonly Tensor[];
  /** Receives d(loss)/d(output) and accumulates into the parents' gradients with `accumulate`. */
  readonly backward: (gradOut: Float32Array) => void;
}

let gradEnabled = true;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Runs `fn` without recording operations, like `torch.no_grad()`: for evaluation and in-place updates. */
export function noGrad<T>(fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

export function setGradEnabled(enabled: boolean): void {
  gradEnabled = enabled;
}

/** True when an op's result must record how to differentiate it. */
export function needsGrad(a: Tensor, b?: Tensor, c?: Tensor): boolean {
  return gradEnabled && (a.requiresGrad || (b !== undefined && b.requiresGrad) || (c !== undefined && c.requiresGrad));
}

export function needsGradAny(ts: readonly Tensor[]): boolean {
  if (!gradEnabled) return false;
  for (const t of ts) if (t.requiresGrad) return true;
  return false;
}

/** Marks `out` as the result of a differentiable op. */
export function record(out: Tensor, name: string, parents: readonly Tensor[], backward: (g: Float32Array) => void): Tensor {
  out.requiresGrad = true;
  out._ctx = { name, parents, backward };
  return out;
}

/** Adds `g` into t's pending gradient. `g` may be shared with other tensors, so it is copied, never kept. */
export function accumulate(t: Tensor, g: Float32Array): void {
  if (!t.requiresGrad) return;
  const buf = t._g;
  if (buf === null) {
    const copy = gradArray(g.length);
    copy.set(g);
    t._g = copy;
    return;
  }
  for (let i = 0; i < buf.length; i++) buf[i] += g[i];
}

/** Like `accumulate`, for a buffer the caller just allocated and will not touch again: no copy needed. */
export function accumulateOwned(t: Tensor, g: Float32Array): void {
  if (!t.requiresGrad) return;
  const buf = t._g;
  if (buf === null) {
    t._g = g;
    return;
  }
  for (let i = 0; i < buf.length; i++) buf[i] += g[i];
  releaseArray(g);
}

/** The pending gradient buffer of t, created as zeros, for ops that scatter into it (e.g. indexing). */
export function gradBuffer(t: Tensor): Float32Array {
  if (t._g === null) t._g = new Float32Array(t.data.length);
  return t._g;
}

const FREED: GradFn = {
  name: 'freed',
  parents: [],
  backward: () => {
    throw new Error(
      'Trying to backward through the graph a second time: its intermediate results were already freed. ' +
        'Pass { retainGraph: true } to the first backward() if you need to call it twice.',
    );
  },
};

let visitEpoch = 0;

export function runBackward(root: Tensor, grad: Float32Array, retainGraph: boolean): void {
  const epoch = ++visitEpoch;
  const order: Tensor[] = [];
  const leaves: Tensor[] = [];
  // Iterative post-order DFS: deep nets (or while-loops in forward) must not overflow the JS stack.
  const stack: Tensor[] = [root];
  const childIndex: number[] = [0];
  root._visit = epoch;
  while (stack.length > 0) {
    const t = stack[stack.length - 1];
    const ctx = t._ctx;
    const i = childIndex[childIndex.length - 1];
    if (ctx !== null && i < ctx.parents.length) {
      childIndex[childIndex.length - 1] = i + 1;
      const p = ctx.parents[i];
      if (p.requiresGrad && p._visit !== epoch) {
        p._visit = epoch;
        stack.push(p);
        childIndex.push(0);
      }
      continue;
    }
    stack.pop();
    childIndex.pop();
    if (ctx === null) leaves.push(t);
    else order.push(t);
  }

  root._g = grad;
  for (let k = order.length - 1; k >= 0; k--) {
    const t = order[k];
    const g = t._g;
    if (g === null) continue;
    t._g = null;
    (t._ctx as GradFn).backward(g);
    // Every op's backward copies or consumes g, so this buffer can serve the next gradient.
    releaseArray(g);
    if (!retainGraph) t._ctx = FREED;
  }
  for (const leaf of leaves) {
    const g = leaf._g;
    leaf._g = null;
    if (g === null) continue;
    if (leaf.grad === null) leaf.grad = leaf._makeGrad(g);
    else {
      const d = leaf.grad.data;
      for (let i = 0; i < d.length; i++) d[i] += g[i];
    }
  }
}
