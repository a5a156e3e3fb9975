/**
 * `nnb check`: validation, then analysis, as text for people (a tree of nodes with output shapes and
 * parameter counts, then every problem with the id it is attached to) or as JSON for tools.
 */
import {
  validateDocument,
  analyzeDocument,
  idLocator,
  type AnalysisOptions,
  type ModelDocument,
  type ModelNode,
  type Analysis,
  type SequentialNode,
  type GraphNode,
  type Diagnostic,
} from '../engine/graph';
import { shown } from '../engine/quote';

const fmt = (s: (number | string)[] | undefined) => (s ? `[${s.join(', ')}]` : '?');

function tree(doc: ModelDocument, a: Analysis): string[] {
  const lines: string[] = [];
  const visit = (n: ModelNode, depth: number, key: string | null) => {
    const pad = '  '.repeat(depth + 1);
    // Names, ids and ops are the user's: shown short (a 10 MB name must not be the output).
    const what =
      n.op === 'Block'
        ? `Block ${shown((n as { block: string }).block)}`
        : n.op === 'Shared'
          ? `Shared -> ${shown((n as { ref: string }).ref)}`
          : shown(n.op);
    const label = `${pad}${key !== null ? `${shown(key)}: ` : ''}${what} (${shown(n.id)})`;
    const params = a.params[n.id] ? `  ${a.params[n.id].toLocaleString('en-US')} params` : '';
    lines.push(`${label.padEnd(48)} -> ${fmt(a.nodeShapes[n.id])}${params}`);
    if (n.op === 'Sequential') (n as SequentialNode).children.forEach((c, i) => visit(c, depth + 1, c.name ?? String(i)));
    if (n.op === 'Graph') (n as GraphNode).nodes.forEach((c) => visit(c, depth + 1, c.name ?? c.id));
  };
  visit(doc.model, 0, null);
  return lines;
}

/**
 * Analysis problems as compilers print them, `file:line: error: id: message` in line order, so editors
 * and CI logs link to the node or edge at fault.
 */
export function formatDiagnostics(path: string, text: string, doc: ModelDocument, diagnostics: Diagnostic[]): string[] {
  const lineOf = idLocator(text, doc);
  return diagnostics
    .map((d) => ({ d, line: d.id ? lineOf(d.id) : undefined }))
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
    .map(({ d, line }) => `${path}${line ? `:${line}` : ''}: ${d.severity}: ${d.id ? `${shown(d.id)}: ` : ''}${d.message}`);
}

export function checkCommand(
  text: string,
  path: string,
  json: boolean,
  options: AnalysisOptions = {},
): { ok: boolean; stdout: string; stderr: string } {
  const v = validateDocument(text);
  if (!v.ok) {
    if (json) return { ok: false, stdout: `${JSON.stringify({ ok: false, issues: v.issues }, null, 2)}\n`, stderr: '' };
    const msgs = v.issues.map(
      (i) => `${path}${i.line ? `:${i.line}${i.column ? `:${i.column}` : ''}` : ''}: error: ${i.path || '(document)'}: ${i.message}`,
    );
    return {
      ok: false,
      stdout: '',
      stderr: `${msgs.join('\n')}\n${path}: not a valid NN Blocks model (${v.issues.length} problem${v.issues.length === 1 ? '' : 's'})\n`,
    };
  }
  const doc = v.document;
  const a = analyzeDocument(doc, options);
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  if (json) {
    const lineOf = idLocator(text, doc);
    const diagnostics = a.diagnostics.map((d) => ({ ...d, line: d.id ? (lineOf(d.id) ?? null) : null }));
    const out = {
      ok: errors.length === 0,
      name: doc.name,
      input: ['N', ...doc.input.shape],
      output: a.outputShape,
      totalParams: a.totalParams,
      nodeShapes: a.nodeShapes,
      edgeShapes: a.edgeShapes,
      params: a.params,
      diagnostics,
    };
    return { ok: errors.length === 0, stdout: `${JSON.stringify(out, null, 2)}\n`, stderr: '' };
  }
  const inputs = doc.model.op === 'Graph' ? (doc.model as GraphNode).inputs : [];
  const input =
    inputs.length > 1
      ? `inputs ${inputs.map((n) => `${n} ${fmt(['N', ...doc.input.shape])}`).join(', ')}`
      : `input ${fmt(['N', ...doc.input.shape])}`;
  const out = [
    `${path}: model '${doc.name}'`,
    `  ${input}`,
    ...tree(doc, a),
    `  output ${fmt(a.outputShape ?? undefined)}, ${a.totalParams.toLocaleString('en-US')} parameters`,
  ];
  const problems = formatDiagnostics(path, text, doc, a.diagnostics);
  const summary =
    errors.length === 0
      ? `${path}: ok${problems.length ? ` (${problems.length} warning${problems.length === 1 ? '' : 's'})` : ''}`
      : `${path}: ${errors.length} error${errors.length === 1 ? '' : 's'}`;
  return {
    ok: errors.length === 0,
    stdout: `${out.join('\n')}\n${errors.length === 0 ? `${summary}\n` : ''}`,
    stderr: problems.length || errors.length ? `${problems.join('\n')}\n${errors.length ? `${summary}\n` : ''}` : '',
  };
}
