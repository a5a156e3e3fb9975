/**
 * Adapter to engine/graph's ONNX exporter and onnxruntime-node runner (Node-only), for Predict and for
 * "export ONNX with this run's weights".
 */
import { Tensor } from '../tensor';
import { parseDocument } from '../graph';
import { exportOnnx } from '../graph/onnx/file';
import { runOnnx, type Provider } from '../graph/onnx/run';

export type { Provider };

/** Writes the document's model with `weights` (a state dict with PyTorch key names) as ONNX. */
export function exportOnnxFile(doc: unknown, weights: Record<string, Tensor>, file: string): void {
  exportOnnx(parseDocument(doc), weights, file);
}

/** The model's (first) output for `x` from onnxruntime; CPU unless other providers are asked for. */
export async function runOnnxFile(file: string, x: Tensor, providers: Provider[] = ['cpu']): Promise<Tensor> {
  const { outputs } = await runOnnx(file, { data: x.data, shape: x.shape }, { executionProviders: providers, warn: () => {} });
  const first = Object.values(outputs)[0];
  if (first === undefined) throw new Error(`${file}: the ONNX model produced no output`);
  return new Tensor(first.data, first.shape);
}
