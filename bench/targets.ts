/**
 * The speed targets of the engine's workloads, as ratios against the peers measured in the same run (the
 * issues' targets; bench/limits.ts holds the wall-clock ones). `ratio` is the speedup the engine must reach:
 * throughput over the peer's, or the peer's time over ours, so "within 1.5x of onnxruntime" is 1 / 1.5.
 * bench/index.ts prints every measured row against the targets of its workload whose peer ran.
 */
export interface RatioTarget {
  peer: string;
  ratio: number;
  /** How the issue words it, when the ratio alone reads oddly (below 1). */
  label?: string;
}

export const TARGETS = {
  w1: [{ peer: 'tfjs-wasm', ratio: 10 }],
  w2: [{ peer: 'tfjs-wasm', ratio: 3 }],
  w3: [{ peer: 'tfjs-wasm', ratio: 1 }],
  /** Issue 11: LeNet-5 training at least as fast as PyTorch CPU and at least 3x tfjs-wasm (tfjs-cpu stands in: tfjs-wasm cannot train a convolution). */
  w4: [{ peer: 'pytorch', ratio: 1 }, { peer: 'tfjs-wasm', ratio: 3 }, { peer: 'tfjs-cpu', ratio: 3 }],
  /** Issue 11: the mini ResNet forward within 1.5x of onnxruntime-node CPU. */
  w5: [{ peer: 'onnxruntime', ratio: 1 / 1.5, label: 'within 1.5x of onnxruntime' }],
} as const satisfies Record<string, readonly RatioTarget[]>;
