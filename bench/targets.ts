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
  /** Issue 13 adds: W2 at least PyTorch CPU's steps/s. */
  w2: [
    { peer: 'tfjs-wasm', ratio: 3 },
    { peer: 'pytorch', ratio: 1 },
  ],
  /** Issue 13 adds: at least half of PyTorch with OpenBLAS. */
  w3: [
    { peer: 'tfjs-wasm', ratio: 1 },
    { peer: 'pytorch', ratio: 0.5 },
  ],
  /** Issue 13: mlp_28x28's forward under noGrad within 2x of onnxruntime-node CPU at batch 1 and 64 ... */
  mlpSmall: [{ peer: 'onnxruntime', ratio: 1 / 2, label: 'within 2x of onnxruntime' }],
  /** ... and within 2.5x at batch 1024. */
  mlpLarge: [{ peer: 'onnxruntime', ratio: 1 / 2.5, label: 'within 2.5x of onnxruntime' }],
  /** Issue 11: LeNet-5 training at least as fast as PyTorch CPU and at least 3x tfjs-wasm (tfjs-cpu stands in: tfjs-wasm cannot train a convolution). */
  w4: [
    { peer: 'pytorch', ratio: 1 },
    { peer: 'tfjs-wasm', ratio: 3 },
    { peer: 'tfjs-cpu', ratio: 3 },
  ],
  /** Issue 11: the mini ResNet forward within 1.5x of onnxruntime-node CPU. */
  w5: [{ peer: 'onnxruntime', ratio: 1 / 1.5, label: 'within 1.5x of onnxruntime' }],
} as const satisfies Record<string, readonly RatioTarget[]>;

/** Issue 13: no memory growth over a long training run; the resident set may move this much (MB) with noise. */
export const RSS_GROWTH_LIMIT_MB = 8;
