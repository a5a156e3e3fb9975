/**
 * Wiring a Graph: connect two nodes, disconnect edges, choose the output. A connection that would not
 * type-check (shape mismatch, cycle, second input into a single-input layer) is refused with the reason,
 * so the document only ever gains connections that make sense.
 */
import { analyzeDocument } from '../analyze';
import { layerSpec } from '../catalogue';
import type { GraphNode, ModelDocument } from '../format';
import { isGraph } from '../nodes';
import { cloneDocument, freshId, locate, usedIds } from './tree';
import { done, refuse, type EditResult } from './types';

function graphIn(doc: ModelDocument, id: string): GraphNode | string {
  const loc = locate(doc, id);
  if (loc === undefined) return `there is no Graph "${id}"`;
  if (!isGraph(loc.node))
    return `connections are drawn inside a Graph (a Module with a custom forward); ${id} is a ${loc.node.op}, whose children run in order`;
  return loc.node;
}

export function connect(doc: ModelDocument, graphId: string, from: string, to: string): EditResult {
  const next = cloneDocument(doc);
  const g = graphIn(next, graphId);
  if (typeof g === 'string') return refuse(g);
  const fromOk = g.inputs.includes(from) || g.nodes.some((n) => n.id === from);
  const target = g.nodes.find((n) => n.id === to);
  if (!fromOk) return refuse(`"${from}" is not a node or input of this Graph`);
  if (target === undefined)
    return refuse(g.inputs.includes(to) ? `"${to}" is an input of the Graph: nothing can flow into it` : `"${to}" is not a node of this Graph`);
  if (from === to) return refuse('a node cannot feed itself');
  if (g.edges.some((e) => e.from === from && e.to === to)) return refuse(`${from} is already connected to ${to}`);
  const incoming = g.edges.filter((e) => e.to === to);
  const merge = layerSpec(target.op)?.merge === true;
  if (!merge && incoming.length > 0) {
    return refuse(
      `${to} takes one input and already gets it from ${incoming[0].from}: remove that connection first, or join both with an add, mul, sub or concat merge`,
    );
  }
  const before = analyzeDocument(doc);
  const known = new Set(before.diagnostics.map((d) => `${d.id}\u0000${d.message}`));
  const edgeId = freshId(usedIds(next), 'e');
  g.edges.push({ id: edgeId, from, to, ...(merge ? { port: incoming.length } : {}) });
  const after = analyzeDocument(next);
  const fresh = after.diagnostics.filter(
    (d) => d.severity === 'error' && (d.id === edgeId || d.id === to) && !known.has(`${d.id}\u0000${d.message}`) && !/has no input/.test(d.message),
  );
  if (fresh.length > 0) return refuse(`cannot connect ${from} → ${to}: ${fresh.map((d) => d.message).join('; ')}`);
  return done(next, [edgeId]);
}

export function disconnect(doc: ModelDocument, graphId: string, edgeIds: string[]): EditResult {
  const next = cloneDocument(doc);
  const g = graphIn(next, graphId);
  if (typeof g === 'string') return refuse(g);
  const drop = new Set(edgeIds);
  const missing = edgeIds.filter((id) => !g.edges.some((e) => e.id === id));
  if (missing.length > 0) return refuse(`no edge ${missing.join(', ')} in this Graph`);
  g.edges = g.edges.filter((e) => !drop.has(e.id));
  // Merge ports stay dense (0, 1, ...) so operand order remains what the user sees.
  const byTarget = new Map<string, typeof g.edges>();
  for (const e of g.edges) if (e.port !== undefined) byTarget.set(e.to, [...(byTarget.get(e.to) ?? []), e]);
  for (const list of byTarget.values()) list.sort((a, b) => (a.port ?? 0) - (b.port ?? 0)).forEach((e, i) => (e.port = i));
  return done(next);
}

export function setOutput(doc: ModelDocument, graphId: string, node: string): EditResult {
  const next = cloneDocument(doc);
  const g = graphIn(next, graphId);
  if (typeof g === 'string') return refuse(g);
  if (!g.inputs.includes(node) && !g.nodes.some((n) => n.id === node)) return refuse(`"${node}" is not a node or input of this Graph`);
  g.outputs = [node];
  return done(next, [node]);
}
