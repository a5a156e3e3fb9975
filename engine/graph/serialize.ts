/**
 * The canonical text of a document: fixed key order, two-space indentation, trailing newline, so that
 * every save of the same model is the same bytes and git diffs show only what the user changed.
 */
import type { ModelDocument } from './format';

const DOCUMENT_ORDER = ['format', 'name', 'description', 'input', 'model', 'blocks', 'training'];
const NODE_ORDER = [
  'id', 'op', 'name', 'block', 'ref', 'className', 'args', 'init', 'inputs', 'children', 'nodes', 'edges', 'outputs', 'ui',
  'from', 'to', 'port', 'kind', 'shape', 'description', 'body',
];
const documentRank = new Map(DOCUMENT_ORDER.map((k, i) => [k, i]));
const nodeRank = new Map(NODE_ORDER.map((k, i) => [k, i]));

function canonical(value: unknown, isDocument = false): unknown {
  if (Array.isArray(value)) return value.map((v) => canonical(v));
  if (value === null || typeof value !== 'object') return value;
  const rank = isDocument ? documentRank : nodeRank;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => (rank.get(a) ?? 1000) - (rank.get(b) ?? 1000) || (rank.has(a) ? 0 : a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
}

/** Short arrays of numbers (shapes) stay on one line; everything else is indented normally. */
export function serializeDocument(doc: ModelDocument): string {
  const text = JSON.stringify(canonical(doc, true), null, 2);
  return `${text.replace(/\[\s+((?:-?[\d.e+-]+,\s+)*-?[\d.e+-]+)\s+\]/g, (_, inner: string) => `[${inner.split(/,\s+/).join(', ')}]`)}\n`;
}
