/** Saving and loading safetensors files (Node only). Writes are atomic: a failed save leaves the old file. */
import { readFileSync } from 'node:fs';
import { Tensor } from '../tensor';
import { writeFileAtomic } from './atomic_write';
import { decodeSafetensors, encodeSafetensors, type SafetensorsMetadata } from './safetensors_format';

/** What `saveTensors` accepts, mirroring torch.save of a tensor, a list, or a dict of tensors. */
export type TensorCollection = Tensor | Tensor[] | Record<string, Tensor>;

const STRUCTURE_KEY = 'nnblocks.structure';

/** Saves a state dict (or any named tensors) as safetensors; keys keep their order. */
export function saveSafetensors(path: string, tensors: TensorCollection, metadata?: SafetensorsMetadata): void {
  const { named, structure } = flatten(tensors);
  const meta = { ...(metadata ?? {}) };
  if (structure !== 'dict') meta[STRUCTURE_KEY] = structure;
  writeFileAtomic(path, encodeSafetensors(named, meta));
}

export function loadSafetensors(path: string): { tensors: Record<string, Tensor>; metadata: SafetensorsMetadata } {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`${path}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return decodeSafetensors(bytes, path);
}

/** torch.save / torch.load for a tensor, a list or a dict: the loaded value has the saved structure. */
export function saveTensors(path: string, value: TensorCollection): void {
  saveSafetensors(path, value);
}

export function loadTensors(path: string): TensorCollection {
  const { tensors, metadata } = loadSafetensors(path);
  const structure = metadata[STRUCTURE_KEY] ?? 'dict';
  if (structure === 'tensor') return tensors['0'];
  if (structure === 'list') return Object.keys(tensors).map((k) => tensors[k]);
  return tensors;
}

function flatten(value: TensorCollection): { named: Record<string, Tensor>; structure: 'tensor' | 'list' | 'dict' } {
  if (value instanceof Tensor) return { named: { '0': value }, structure: 'tensor' };
  if (Array.isArray(value)) {
    const named: Record<string, Tensor> = {};
    value.forEach((t, i) => (named[String(i)] = t));
    return { named, structure: 'list' };
  }
  return { named: value, structure: 'dict' };
}
