/**
 * Node-only: writes an exported ONNX model to disk (atomically, so a failed export never leaves half a
 * file where a previous model was). The browser-safe part is ./export.ts.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Tensor } from '../../tensor';
import type { Module } from '../../nn';
import { writeFileAtomic } from '../../io/atomic_write';
import { toOnnxBytes, type OnnxExportOptions, type OnnxSource } from './export';

/**
 * Writes a document with `weights` (a module built from it, a state dict, or null for a fresh init), or
 * a module built in code (nn.Sequential and catalogue layers; its own weights by default), to `path`.
 */
export function exportOnnx(
  source: OnnxSource,
  weights: Module | Record<string, Tensor> | null,
  path: string,
  options: OnnxExportOptions = {},
): number {
  return writeOnnxFile(path, toOnnxBytes(source, weights, options));
}

/** Writes encoded model bytes to `path` atomically; a failure names `path` (not the temporary file). */
export function writeOnnxFile(path: string, bytes: Uint8Array): number {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomic(path, bytes);
  } catch (e) {
    // writeFileAtomic's error carries the file system's as its cause (ENOTDIR, EACCES, ...).
    const cause = ((e as Error).cause ?? e) as NodeJS.ErrnoException;
    throw new Error(`${path}: cannot write the ONNX file (${cause.code ?? cause.message})`);
  }
  return bytes.byteLength;
}
