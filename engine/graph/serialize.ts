/**
 * The canonical text of a document: fixed key order, two-space indentation, trailing newline, so that
 * every save of the same model is the same bytes and git diffs show only what the user changed.
 */
import type { ModelDocument } from './format';

const DOCUMENT_ORDER = ['format', 'name', 'description', 'input', 'model', 'blocks', 'training'];
/** Nodes, edges, init specs, data sources, optimizer and schedule objects: what they are first. */
const NODE_ORDER = [
  'id',
  'op',
  'kind',
  'type',
  'name',
  'block',
  'ref',
  'className',
  'args',
  'init',
  'inputs',
  'children',
  'nodes',
  'edges',
  'outputs',
  'from',
  'to',
  'port',
  'shape',
  'description',
  'body',
  'ui',
];
/** The training section in the order a reader thinks about a run. */
const TRAINING_ORDER = [
  'data',
  'loss',
  'optimizer',
  'schedule',
  'epochs',
  'batchSize',
  'shuffle',
  'dropLast',
  'validationSplit',
  'seed',
  'checkpointEvery',
  'logEvery',
];
const rankOf = (order: string[]) => new Map(order.map((k, i) => [k, i]));
const documentRank = rankOf(DOCUMENT_ORDER);
const nodeRank = rankOf(NODE_ORDER);
const trainingRank = rankOf(TRAINING_ORDER);

function canonical(value: unknown, rank: Map<string, number>): unknown {
  if (Array.isArray(value)) return value.map((v) => canonical(v, nodeRank));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  // Known keys by rank; unknown ones (args, init parameter names, block names) alphabetically after them.
  entries.sort(([a], [b]) => (rank.get(a) ?? 1000) - (rank.get(b) ?? 1000) || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v, rank === documentRank && k === 'training' ? trainingRank : nodeRank)]));
}

/** Short arrays of numbers (shapes) stay on one line; everything else is indented normally. */
export function serializeDocument(doc: ModelDocument): string {
  const text = JSON.stringify(canonical(doc, documentRank), null, 2);
  return `${text.replace(/\[\s+((?:-?[\d.e+-]+,\s+)*-?[\d.e+-]+)\s+\]/g, (_, inner: string) => `[${inner.split(/,\s+/).join(', ')}]`)}\n`;
}
