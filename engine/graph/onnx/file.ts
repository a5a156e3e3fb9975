/**
 * Node-only: writes an exported ONNX model to disk (atomically, so a failed export never leaves half a
 * file where a previous model was). The browser-safe part is ./export.ts.
 */
import { writeFileSync, renameSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Tensor } from '../../tensor';
import type { Module } from '../../nn';
import { toOnnxBytes, type OnnxExportOptions, type OnnxSource } from './export';

/**
 * Writes a document with `weights` (a module built from it, a state dict, or null for a fresh init), or
 * a module built in code (nn.Sequential and catalogue layers; its own weights by default), to `path`.
 */
export function exportOnnx(source: OnnxSource, weights: Module | Record<string, Tensor> | null, path: string, options: OnnxExportOptions = {}): number {
  return writeOnnxFile(path, toOnnxBytes(source, weights, options));
}

/** Writes encoded model bytes to `path` atomically; a failure names `path` (not the temporary file). */
export function writeOnnxFile(path: string, bytes: Uint8Array): number {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // The folder itself is unusable (not a directory, no permission): there is no temporary file.
    }
    throw new Error(`${path}: cannot write the ONNX file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return bytes.byteLength;
}
