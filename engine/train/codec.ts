/**
 * Adapter to engine/io's safetensors encoder/decoder: checkpoints and final weights are encoded to bytes
 * on the training thread and written by the host, so the training thread never waits on the disk.
 */
import type { Tensor } from '../tensor';
import * as io from '../io';

export function encodeTensors(tensors: Record<string, Tensor>, metadata: Record<string, string>): Uint8Array {
  return io.encodeSafetensors(tensors, metadata);
}

/** `name` (a file name) labels decoding errors. */
export function decodeTensors(bytes: Uint8Array, name?: string): { tensors: Record<string, Tensor>; metadata: Record<string, string> } {
  return io.decodeSafetensors(bytes, name);
}
