/**
 * Grouping as a Sequential, ungrouping, and reordering a Sequential's children. In a Graph only a chain
 * can become a Sequential (one path in, one path out, nothing branching off in the middle), because a
 * Sequential is exactly such a chain.
 */
import { layerSpec } from '../catalogue';
import type { GraphNode, ModelDocument, SequentialNode } from '../format';
import { isSequential } from '../nodes';
import { cloneDocument, freshId, locate, replaceAt, usedIds } from './tree';
import { done, refuse, type EditResult } from './types';

/** The selected nodes of a Graph in chain order, or why they are not a chain. */
function chainOrder(g: GraphNode, ids: Set<string>): string[] | string {
  const inside = g.edges.filter((e) => ids.has(e.from) && ids.has(e.to));
  const heads = [...ids].filter((id) => !inside.some((e) => e.to === id));
  if (heads.length !== 1) return 'the selected nodes must form one chain (each feeding the next) to become a Sequential';
  const order = [heads[0]];
  while (order.length < ids.size) {
    const last = order[order.length - 1];
    const out = g.edges.filter((e) => e.from === last);
    const nextEdge = inside.find((e) => e.from === last);
    if (nextEdge === undefined || out.length !== 1)
      return `${last} branches out in the middle of the selection: only a straight chain can become a Sequential`;
    if (g.edges.filter((e) => e.to === nextEdge.to).length !== 1)
      return `${nextEdge.to} has another input besides ${last}: only a straight chain can become a Sequential`;
    if (g.outputs.includes(last)) return `${last} is the Graph's output, so it must stay at the end of the chain`;
    order.push(nextEdge.to);
  }
  for (const id of order) {
    const n = g.nodes.find((x) => x.id === id);
    if (n !== undefined && layerSpec(n.op)?.merge) return `${id} is a ${n.op} merge: a Sequential child takes exactly one input`;
  }
  if (g.edges.filter((e) => e.to === order[0]).length > 1) return `${order[0]} takes several inputs: a Sequential starts with a single input`;
  return order;
}

export function groupAsSequential(doc: ModelDocument, ids: string[]): EditResult {
  if (ids.length === 0) return refuse('select the nodes to group first');
  const next = cloneDocument(doc);
  const taken = usedIds(next);
  const locs = ids.map((id) => locate(next, id));
  if (locs.some((l) => l === undefined)) return refuse('a selected node no longer exists');
  const first = locs[0] as NonNullable<(typeof locs)[number]>;
  if (first.parent === null) {
    if (ids.length > 1) return refuse('the model root cannot be grouped with other nodes');
    const seq: SequentialNode = { id: freshId(taken, 'seq'), op: 'Sequential', children: [first.node] };
    replaceAt(next, first, seq);
    return done(next, [seq.id]);
  }
  const parent = first.parent;
  if (locs.some((l) => l?.parent !== parent)) return refuse('only nodes with the same parent can be grouped: select siblings');
  const seqId = freshId(taken, 'seq');
  if (parent.op === 'Sequential') {
    const idx = locs.map((l) => (l as NonNullable<typeof l>).index).sort((a, b) => a - b);
    if (idx[idx.length - 1] - idx[0] !== idx.length - 1)
      return refuse('the selected layers are not next to each other: select a contiguous run of the chain');
    const children = parent.children.splice(idx[0], idx.length);
    parent.children.splice(idx[0], 0, { id: seqId, op: 'Sequential', children });
    return done(next, [seqId]);
  }
  const g = parent;
  const order = chainOrder(g, new Set(ids));
  if (typeof order === 'string') return refuse(order);
  const members = order.flatMap((id) => g.nodes.filter((n) => n.id === id));
  const set = new Set(order);
  const last = order[order.length - 1];
  g.edges = g.edges.filter((e) => !(set.has(e.from) && set.has(e.to)));
  for (const e of g.edges) {
    if (e.to === order[0]) e.to = seqId;
    if (e.from === last) e.from = seqId;
  }
  g.outputs = g.outputs.map((o) => (o === last ? seqId : o));
  const at = Math.min(...order.map((id) => g.nodes.findIndex((n) => n.id === id)));
  g.nodes = g.nodes.filter((n) => !set.has(n.id));
  g.nodes.splice(at, 0, { id: seqId, op: 'Sequential', children: members });
  return done(next, [seqId]);
}

export function ungroup(doc: ModelDocument, id: string): EditResult {
  const next = cloneDocument(doc);
  const loc = locate(next, id);
  if (loc === undefined) return refuse(`there is no node "${id}"`);
  if (!isSequential(loc.node)) return refuse(`${id} is a ${loc.node.op}: only a Sequential can be ungrouped`);
  const children = loc.node.children;
  if (loc.parent === null) {
    if (children.length !== 1)
      return refuse(
        `${id} is the ${loc.block ? `body of block '${loc.block}'` : 'model root'}: it can only be ungrouped when it holds a single node`,
      );
    replaceAt(next, loc, children[0]);
    return done(next, [children[0].id]);
  }
  const parent = loc.parent;
  if (parent.op === 'Sequential') {
    parent.children.splice(loc.index, 1, ...children);
    return done(
      next,
      children.map((c) => c.id),
    );
  }
  const g = parent;
  if (children.length === 0) {
    const incoming = g.edges.filter((e) => e.to === id);
    const source = incoming.length === 1 ? incoming[0].from : g.inputs[0];
    g.edges = g.edges.filter((e) => e.to !== id).map((e) => (e.from === id ? { ...e, from: source } : e));
    g.outputs = g.outputs.map((o) => (o === id ? source : o));
    g.nodes.splice(loc.index, 1);
    return done(next);
  }
  const taken = usedIds(next);
  const head = children[0].id;
  const tail = children[children.length - 1].id;
  for (const e of g.edges) {
    if (e.to === id) e.to = head;
    if (e.from === id) e.from = tail;
  }
  g.outputs = g.outputs.map((o) => (o === id ? tail : o));
  for (let i = 1; i < children.length; i++) g.edges.push({ id: freshId(taken, 'e'), from: children[i - 1].id, to: children[i].id });
  g.nodes.splice(loc.index, 1, ...children);
  return done(
    next,
    children.map((c) => c.id),
  );
}

/** Moves a Sequential child `delta` places up (negative) or down (positive). */
export function reorder(doc: ModelDocument, id: string, delta: number): EditResult {
  const next = cloneDocument(doc);
  const loc = locate(next, id);
  if (loc === undefined) return refuse(`there is no node "${id}"`);
  if (loc.parent?.op !== 'Sequential') return refuse('only the children of a Sequential have an order to change');
  const list = loc.parent.children;
  const to = Math.max(0, Math.min(list.length - 1, loc.index + delta));
  if (to === loc.index) return refuse(delta < 0 ? `${id} is already first` : `${id} is already last`);
  const [n] = list.splice(loc.index, 1);
  list.splice(to, 0, n);
  return done(next, [id]);
}
