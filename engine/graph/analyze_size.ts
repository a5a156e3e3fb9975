/**
 * How big a model is, said before anything is allocated: the parameter count and the memory its float32
 * weights take, a refusal naming the layer for a tensor no typed array can hold (V8 allocates at most
 * 2^32 values in one; past that `new Float32Array` throws "Invalid typed array length"), and a warning
 * above a size the user sets (`nnblocks.sizeWarningParameters` in VS Code, `--warn-params` in nnb).
 */

/** The most values one engine tensor (a Float32Array) can hold. */
export const MAX_TENSOR_VALUES = 2 ** 32;

/** Parameters above which the analysis warns, unless told otherwise: 100 million (400 MB as float32). */
export const DEFAULT_WARN_PARAMS = 100_000_000;

export interface SizeOptions {
  /** Warn when the model has more parameters than this (default DEFAULT_WARN_PARAMS; Infinity: never). */
  warnParams?: number;
}

/** 400 MB, 20.0 GB: bytes as people read them (powers of 1000, as disks and `ls -h --si` say). */
export function bytesText(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'more memory than exists';
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${v} bytes` : `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** A count as the messages print it: 5,000,000,012 (and "more than 10^21" where digits mean nothing). */
export function countText(n: number): string {
  return Number.isFinite(n) && n < 1e21 ? n.toLocaleString('en-US') : 'an unbounded number of';
}

/** The number of values in a shape's numeric dims (the batch 'N' left out). */
export function valuesOf(shape: readonly (number | string)[]): number {
  return shape.reduce<number>((p, d) => (typeof d === 'number' ? p * d : p), 1);
}

/** Why a tensor of `shape` cannot be allocated (`what`: "its weight", "its output per sample"), or null. */
export function tensorSizeProblem(what: string, shape: readonly (number | string)[]): string | null {
  const n = valuesOf(shape);
  if (n <= MAX_TENSOR_VALUES && shape.every((d) => typeof d !== 'number' || Number.isSafeInteger(d))) return null;
  return `${what} of shape [${shape.map((d) => (typeof d === 'number' && d >= 1e21 ? d.toExponential(2) : String(d))).join(', ')}] has ${countText(n)} values (${bytesText(n * 4)} as float32), more than one tensor can hold (${countText(MAX_TENSOR_VALUES)}): make the layer smaller`;
}

/** Weights stored inside one ONNX file: protobuf's 2 GiB message limit, less room for the graph itself. */
export const ONNX_MAX_WEIGHT_BYTES = 2 ** 31 - 2 ** 24;

/** Why a model of this size cannot be one ONNX file (the exporter keeps the weights inside it), or null. */
export function onnxSizeProblem(totalParams: number): string | null {
  if (!(totalParams * 4 > ONNX_MAX_WEIGHT_BYTES)) return null;
  return `cannot be exported to ONNX: its ${countText(totalParams)} parameters take ${bytesText(totalParams * 4)} as float32, and an ONNX file holds at most ${bytesText(ONNX_MAX_WEIGHT_BYTES)} of weights inside it (protobuf's 2 GiB limit)`;
}

/** The warning for a model above the size limit, or null. */
export function modelSizeWarning(totalParams: number, options: SizeOptions): string | null {
  const limit = options.warnParams ?? DEFAULT_WARN_PARAMS;
  if (!(totalParams > limit)) return null;
  return `the model has ${countText(totalParams)} parameters: its weights alone take ${bytesText(totalParams * 4)} as float32, allocated when it is built, exported or trained (the warning starts above ${countText(limit)} parameters: setting nnblocks.sizeWarningParameters, or nnb --warn-params)`;
}
