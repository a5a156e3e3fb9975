/** The declared shape of an ONNX model's first input ('N' or a name for symbolic dims), read with onnx-proto. */
import { readFileSync } from 'node:fs';
import { onnx } from 'onnx-proto';

export function onnxInputShape(path: string): (number | string)[] {
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
  const initNames = new Set((model.graph?.initializer ?? []).map((t) => t.name));
  const input = (model.graph?.input ?? []).find((i) => !initNames.has(i.name ?? ''));
  if (!input) throw new Error(`${path}: the ONNX graph has no input`);
  return (input.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam : Number(d.dimValue ?? 0)));
}
