/**
 * Recycles the gradient buffers that flow through backward(). A fresh Float32Array of a few hundred
 * values costs about a microsecond (its backing store lives outside the JS heap), which is more than the
 * arithmetic of a small layer; these buffers die at a point autograd knows exactly, so they are reused.
 * Forward results are pooled only through releaseForward, by a container whose children are all the
 * engine's own (nn/engine_forwards.ts): any other code may hold on to a result.
 */

/** Below this many values typed arrays live on the JS heap and are cheap; pooling them gains nothing. */
const MIN_POOLED = 32;
/** Buffers kept per size, and in all: enough for a training step of a deep net, bounded for big layers. */
const MAX_PER_SIZE = 16;
const MAX_POOLED_VALUES = 1 << 24;

const pools = new Map<number, Float32Array[]>();
let pooledValues = 0;

/** A zero-filled buffer of n values, recycled when possible. */
export function gradArray(n: number): Float32Array {
  if (n >= MIN_POOLED) {
    const list = pools.get(n);
    const b = list?.pop();
    if (b !== undefined) {
      pooledValues -= n;
      return b.fill(0);
    }
  }
  return new Float32Array(n);
}

/** Hands a buffer back. The caller guarantees that nothing references it any more. */
export function releaseArray(b: Float32Array): void {
  const n = b.length;
  if (n < MIN_POOLED || b.byteOffset !== 0 || b.buffer.byteLength !== b.byteLength) return;
  if (pooledValues + n > MAX_POOLED_VALUES) return;
  let list = pools.get(n);
  if (list === undefined) {
    list = [];
    pools.set(n, list);
  }
  if (list.length >= MAX_PER_SIZE) return;
  list.push(b);
  pooledValues += n;
}

/** Buffers forwardArray handed out: only these may come back through releaseForward. */
const forwardOrigin = new WeakSet<Float32Array>();

/**
 * A buffer of n values for an op's result, recycled when possible; its contents are arbitrary, so the
 * caller writes every value.
 */
export function forwardArray(n: number): Float32Array {
  const b = n >= MIN_POOLED ? pools.get(n)?.pop() : undefined;
  if (b !== undefined) {
    pooledValues -= n;
    forwardOrigin.add(b);
    return b;
  }
  const fresh = new Float32Array(n);
  forwardOrigin.add(fresh);
  return fresh;
}

/**
 * Hands back a forward result nothing reads any more, unless one of `live` shares its memory (a reshape,
 * an Identity): the container that calls this knows every reader of the value (no autograd, and only the
 * engine's own forwards, nn/engine_forwards.ts).
 */
export function releaseForward(dead: Float32Array, live: readonly Float32Array[]): void {
  if (!forwardOrigin.has(dead)) return;
  for (const t of live) if (t.buffer === dead.buffer) return;
  forwardOrigin.delete(dead);
  releaseArray(dead);
}
