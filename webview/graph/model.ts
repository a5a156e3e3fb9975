/**
 * What the canvas shows for one node, computed from the document and its analysis: labels, key
 * arguments, shapes, parameter count, errors, ties. Pure data, so React can memoise every node on it.
 */
import type { Analysis } from '../../engine/graph/analyze';
import { layerSpec, resolvedArgs, type ArgValue, type Shape } from '../../engine/graph/catalogue';
import type { ModelNode } from '../../engine/graph/format';
import { isBlock, isLayer, isShared } from '../../engine/graph/nodes';

export interface NodeView {
  kind: 'layer' | 'group' | 'port';
  /** The document node id (for ports: the Graph input name, or '' for an output). */
  modelId: string;
  op: string;
  title: string;
  /** "2 → 4", "p=0.5": the arguments worth reading at a glance. */
  summary: string;
  params: number;
  inShape: Shape | null;
  outShape: Shape | null;
  errors: string[];
  warnings: string[];
  /** For a Shared node: the node whose weights it uses. */
  tiedTo?: string;
  /** For an original: how many Shared nodes use its weights. */
  tiedCount: number;
  collapsed?: boolean;
  childCount?: number;
  /** The Graph this node is wired in, when it is wired by edges (connectable handles). */
  graph?: string;
  /** For ports: 'input' (source only) or 'output' (target only). */
  port?: 'input' | 'output';
  merge?: boolean;
  /** Diagnostics of nodes hidden inside this collapsed group. */
  hiddenErrors?: number;
  /** For an expanded group: about how wide its header is, the least width its frame may have. */
  headWidth?: number;
}

export const fmtShape = (s: Shape | null | undefined) => (s ? `[${s.join(', ')}]` : '?');

export function fmtCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(n >= 1e5 ? 0 : 1)}k`;
  return n.toLocaleString('en-US');
}

export function summarize(n: ModelNode): string {
  if (isBlock(n)) return `block ${n.block}`;
  if (isShared(n)) return `tied to ${n.ref}`;
  const spec = isLayer(n) ? layerSpec(n.op) : undefined;
  if (spec === undefined || !isLayer(n)) return '';
  const args = resolvedArgs(spec, n.args);
  if (spec.summary) return spec.summary(args);
  return spec.args
    .filter((a) => n.args?.[a.name] !== undefined || a.required)
    .map((a) => `${a.name}=${fmtArg(args[a.name])}`)
    .join(', ');
}

/** An argument's value as the canvas and inspector show it: a pair as [3, 5]. */
export const fmtArg = (v: ArgValue | undefined): string => (Array.isArray(v) ? `[${v.join(', ')}]` : String(v));

export function diagnosticsById(analysis: Analysis): Map<string, { errors: string[]; warnings: string[] }> {
  const out = new Map<string, { errors: string[]; warnings: string[] }>();
  for (const d of analysis.diagnostics) {
    const entry = out.get(d.id) ?? { errors: [], warnings: [] };
    (d.severity === 'error' ? entry.errors : entry.warnings).push(d.message);
    out.set(d.id, entry);
  }
  return out;
}
