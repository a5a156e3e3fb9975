/** The declared inputs of an ONNX model (names and shapes, 'N' or a name for symbolic dims), read with onnx-proto. */
import { readFileSync } from 'node:fs';
import { onnx } from 'onnx-proto';

export interface OnnxInputInfo {
  name: string;
  shape: (number | string)[];
}

export function onnxInputs(path: string): OnnxInputInfo[] {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`${path}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new Error(`${path}: not an ONNX model (${(e as Error).message})`);
  }
  // Older exporters list initializers among the inputs too: those are weights, not data.
  const initNames = new Set((model.graph?.initializer ?? []).map((t) => t.name));
  const inputs = (model.graph?.input ?? []).filter((i) => !initNames.has(i.name ?? ''));
  if (inputs.length === 0) throw new Error(`${path}: the ONNX graph has no input`);
  return inputs.map((i) => ({
    name: i.name ?? '',
    shape: (i.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam : Number(d.dimValue ?? 0))),
  }));
}
