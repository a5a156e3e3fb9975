/**
 * Adapter to engine/graph: the model a document describes (validated, built), its name, input shape and
 * training section, and ONNX export/inference for Predict.
 */
import * as path from 'node:path';
import type { Module } from '../nn';
import { parseDocument, buildModel, analyzeDocument } from '../graph';

export interface DocumentModel {
  build: () => Module;
  inputShape: number[];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function modelNameOf(doc: unknown, documentPath: string): string {
  if (isObj(doc) && typeof doc.name === 'string' && doc.name.trim() !== '') return doc.name.trim();
  return path.basename(documentPath).replace(/\.nnb\.json$|\.json$/, '');
}

export function trainingSectionOf(doc: unknown): unknown {
  return isObj(doc) ? doc.training : undefined;
}

/** Validates the document (every problem in one error, with JSON paths) and returns its model builder. */
export function modelFromDocument(doc: unknown, fileName?: string): DocumentModel {
  const parsed = parseDocument(doc, fileName);
  return { build: () => buildModel(parsed), inputShape: [...parsed.input.shape] };
}

/**
 * The model's per-sample input shape and output size from shape inference alone (no weights built), for
 * checks the editor runs while the user edits; null when the document does not check.
 */
export function modelShapes(doc: unknown): { inputShape: number[]; outputSize: number } | null {
  try {
    const parsed = parseDocument(doc);
    const out = analyzeDocument(parsed).outputShape;
    if (out === null || out.slice(1).some((d) => typeof d !== 'number')) return null;
    return { inputShape: [...parsed.input.shape], outputSize: (out.slice(1) as number[]).reduce((a, b) => a * b, 1) };
  } catch {
    return null;
  }
}
