import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { parseDocument, type ModelDocument } from '../../engine/graph';
import { analyzeDocument } from '../../engine/graph/analyze';
import type { EditResult } from '../../engine/graph/edits';

export function example(name: string): ModelDocument {
  return parseDocument(readFileSync(join(__dirname, '../../examples', `${name}.nnb.json`), 'utf8'));
}

export function ok(r: EditResult): ModelDocument {
  if (!r.ok) assert.fail(`edit refused: ${r.reason}`);
  return r.doc;
}

export function refused(r: EditResult, pattern: RegExp): void {
  assert.equal(r.ok, false, 'the edit should have been refused');
  if (!r.ok) assert.match(r.reason, pattern);
}

export const errors = (doc: ModelDocument) => analyzeDocument(doc).diagnostics.filter((d) => d.severity === 'error');

/** A blank Graph model: input x of 2 features, output x. */
export function blankGraph(): ModelDocument {
  return parseDocument({
    format: 'nnblocks.model/1',
    name: 'blank',
    input: { shape: [2] },
    model: { id: 'g', op: 'Graph', inputs: ['x'], nodes: [], edges: [], outputs: ['x'] },
  });
}
