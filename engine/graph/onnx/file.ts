/**
 * Node-only: writes an exported ONNX model to disk (atomically, so a failed export never leaves half a
 * file where a previous model was). The browser-safe part is ./export.ts.
 */
import { writeFileSync, renameSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Tensor } from '../../tensor';
import type { Module } from '../../nn';
import type { ModelDocument } from '../format';
import { toOnnxBytes, type OnnxExportOptions } from './export';

/** Writes `doc` with `weights` (a module built from it, a state dict, or null for a fresh init) to `path`. */
export function exportOnnx(doc: ModelDocument, weights: Module | Record<string, Tensor> | null, path: string, options: OnnxExportOptions = {}): number {
  const bytes = toOnnxBytes(doc, weights, options);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
  return bytes.byteLength;
}
