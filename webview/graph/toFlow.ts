/**
 * Turns the shown scope of a document into React Flow nodes and edges, with a fast deterministic layout:
 * a Sequential is a vertical chain, a Graph is layered by longest path from its inputs, and expanded
 * containers become group nodes sized around their children (so nesting shows at any depth). Positions
 * the user dragged override the layout. Runs only when the document or collapse state changes, never
 * while dragging.
 */
import type { Edge as FlowEdge, Node as FlowNode } from '@xyflow/react';
import type { Analysis } from '../../engine/graph/analyze';
import { layerSpec, type Shape } from '../../engine/graph/catalogue';
import { blockDefinition, type GraphNode, type ModelDocument, type ModelNode } from '../../engine/graph/format';
import { childrenOf, isContainer, isGraph, isSequential, isShared, subtree } from '../../engine/graph/nodes';
import { diagnosticsById, fmtCount, fmtShape, summarize, type NodeView } from './model';

export const LEAF_W = 200;
export const LEAF_H = 62;
const PORT_W = 140;
const PORT_H = 34;
const GAP_Y = 44;
const GAP_X = 32;
const PAD = 16;
const HEAD = 34;

export interface EdgeView {
  shape: Shape | null;
  errors: string[];
  /** A dashed line between a tied node and its original, not a data flow. */
  tie?: boolean;
  graph?: string;
  modelEdge?: string;
}

export type FlowNodeT = FlowNode<NodeView & Record<string, unknown>>;
export type FlowEdgeT = FlowEdge<EdgeView & Record<string, unknown>>;

export interface FlowGraph {
  nodes: FlowNodeT[];
  edges: FlowEdgeT[];
}

export const inPortId = (graph: string, name: string) => `::in:${graph}:${name}`;
export const outPortId = (graph: string) => `::out:${graph}`;

interface Size {
  w: number;
  h: number;
}

/**
 * The shape flowing into each node below `root`, from the analysis (for a merge, its first input). The
 * first child of a nested Sequential has no drawn edge into it, but has an input all the same.
 */
function incomingShapes(root: ModelNode, analysis: Analysis): Map<string, Shape> {
  const into = new Map<string, Shape>();
  const note = (id: string, shape: Shape | undefined) => {
    if (shape !== undefined && !into.has(id)) into.set(id, shape);
  };
  for (const n of subtree(root)) {
    if (isSequential(n)) {
      const cs = n.children;
      cs.forEach((c, i) => note(c.id, analysis.edgeShapes[i === 0 ? `input->${c.id}` : `${cs[i - 1].id}->${c.id}`]));
    } else if (isGraph(n)) for (const e of n.edges) note(e.to, analysis.edgeShapes[e.id]);
  }
  return into;
}

export function scopeRoot(doc: ModelDocument, scope: string): ModelNode {
  return (scope !== '' ? blockDefinition(doc, scope)?.body : undefined) ?? doc.model;
}

export function toFlow(
  doc: ModelDocument,
  analysis: Analysis,
  scope: string,
  collapsed: ReadonlySet<string>,
  positions: Record<string, { x: number; y: number; w?: number; h?: number }>,
): FlowGraph {
  const diags = diagnosticsById(analysis);
  const nodes: FlowNodeT[] = [];
  const edges: FlowEdgeT[] = [];
  const tiedCount = new Map<string, number>();
  const root = scopeRoot(doc, scope);
  const scopeIsModel = scope === '' || blockDefinition(doc, scope) === undefined;
  const incoming = incomingShapes(root, analysis);
  /** What the shown scope receives: the model's input, or what a block's body is given. */
  const scopeInput = (name?: string): Shape | null => {
    if (scopeIsModel) return ['N', ...doc.input.shape];
    if (isSequential(root)) return incoming.get(root.children[0]?.id) ?? null;
    if (isGraph(root)) {
      const first = root.edges.find((e) => e.from === name);
      return first ? (analysis.edgeShapes[first.id] ?? null) : null;
    }
    return null;
  };
  for (const n of subtree(root)) if (isShared(n)) tiedCount.set(n.ref, (tiedCount.get(n.ref) ?? 0) + 1);

  const expanded = (n: ModelNode) => isContainer(n) && !collapsed.has(n.id);
  const sizes = new Map<string, Size>();
  const ranks = new Map<string, Map<string, number>>();

  const graphRanks = (g: GraphNode): Map<string, number> => {
    const r = new Map<string, number>();
    for (const i of g.inputs) r.set(inPortId(g.id, i), 0);
    const inputOf = (id: string) => (g.inputs.includes(id) ? inPortId(g.id, id) : id);
    for (const n of g.nodes) r.set(n.id, 1);
    // Longest path by relaxation; a cycle (an error the analysis reports) stops after |nodes| rounds.
    for (let round = 0; round <= g.nodes.length; round++) {
      let changed = false;
      for (const e of g.edges) {
        const from = r.get(inputOf(e.from));
        const to = r.get(e.to);
        if (from !== undefined && to !== undefined && to < from + 1) {
          r.set(e.to, from + 1);
          changed = true;
        }
      }
      if (!changed) break;
    }
    r.set(outPortId(g.id), Math.max(0, ...g.nodes.map((n) => r.get(n.id) ?? 1)) + 1);
    return r;
  };

  /**
   * About how wide an expanded group's header is (twisty, type, name, shapes, parameters, a badge), so
   * that the frame holds it: the name is what gives way first, and it must not vanish.
   */
  const groupHeadWidth = (n: ModelNode): number => {
    const shapes = `${fmtShape(incoming.get(n.id))} → ${fmtShape(analysis.nodeShapes[n.id])}`;
    const params = analysis.params[n.id] ? `${fmtCount(analysis.params[n.id])} params` : '';
    const badge = diagOf(n.id).errors.length > 0 ? 24 : 0;
    return 64 + 7.5 * (n.op.length + (n.name ?? n.id).length) + 6.8 * shapes.length + 7 * params.length + badge;
  };

  const measure = (n: ModelNode, isRoot: boolean): Size => {
    let s: Size;
    if (!isRoot && !expanded(n)) s = { w: LEAF_W, h: LEAF_H };
    else if (isSequential(n)) {
      const cs = n.children.map((c) => measure(c, false));
      if (isRoot) {
        cs.unshift({ w: PORT_W, h: PORT_H });
        cs.push({ w: PORT_W, h: PORT_H });
      }
      const w = Math.max(LEAF_W, ...cs.map((c) => c.w));
      const h = cs.reduce((sum, c) => sum + c.h, 0) + GAP_Y * Math.max(0, cs.length - 1);
      s = isRoot ? { w, h } : { w: Math.max(w + 2 * PAD, groupHeadWidth(n)), h: HEAD + PAD + Math.max(h, 24) + PAD };
    } else if (isGraph(n)) {
      const g = n;
      const r = graphRanks(g);
      ranks.set(g.id, r);
      const rows = new Map<number, Size[]>();
      const add = (rank: number, size: Size) => rows.set(rank, [...(rows.get(rank) ?? []), size]);
      g.inputs.forEach(() => add(0, { w: PORT_W, h: PORT_H }));
      for (const c of g.nodes) add(r.get(c.id) ?? 1, measure(c, false));
      add(r.get(outPortId(g.id)) ?? 1, { w: PORT_W, h: PORT_H });
      const rowSizes = [...rows.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([, items]) => ({
          w: items.reduce((sum, i) => sum + i.w, 0) + GAP_X * (items.length - 1),
          h: Math.max(...items.map((i) => i.h)),
        }));
      const w = Math.max(LEAF_W, ...rowSizes.map((x) => x.w));
      const h = rowSizes.reduce((sum, x) => sum + x.h, 0) + GAP_Y * (rowSizes.length - 1);
      s = isRoot ? { w, h } : { w: Math.max(w + 2 * PAD, groupHeadWidth(n)), h: HEAD + PAD + h + PAD };
    } else s = { w: LEAF_W, h: LEAF_H };
    sizes.set(n.id, s);
    return s;
  };

  const diagOf = (id: string) => diags.get(id) ?? { errors: [], warnings: [] };
  const hiddenErrors = (n: ModelNode): number => childrenOf(n).reduce((sum, c) => sum + diagOf(c.id).errors.length + hiddenErrors(c), 0);

  const addEdge = (id: string, source: string, target: string, shape: Shape | null, extra: Partial<EdgeView> = {}) => {
    edges.push({
      id,
      source,
      target,
      sourceHandle: 'out',
      targetHandle: 'in',
      type: 'shape',
      data: { shape, errors: diagOf(extra.modelEdge ?? id).errors, ...extra },
    });
  };

  const pushNode = (id: string, view: NodeView, x: number, y: number, size: Size, parent: string | undefined, isGroup: boolean) => {
    const saved = positions[id];
    if (isGroup && saved?.w !== undefined && saved.h !== undefined) size = { w: Math.max(size.w, saved.w), h: Math.max(size.h, saved.h) };
    nodes.push({
      id,
      type: view.kind === 'port' ? 'port' : isGroup ? 'group' : 'layer',
      position: saved ? { x: saved.x, y: saved.y } : { x, y },
      data: view as NodeView & Record<string, unknown>,
      ...(parent !== undefined ? { parentId: parent, extent: 'parent' as const } : {}),
      ...(isGroup ? { style: { width: size.w, height: size.h } } : {}),
      width: size.w,
      height: size.h,
    });
  };

  const viewOf = (n: ModelNode, graph: string | undefined): NodeView => {
    const d = diagOf(n.id);
    const group = expanded(n);
    return {
      kind: 'layer',
      modelId: n.id,
      op: n.op,
      // A block instance is named for itself (its block shows in the summary): two instances read apart.
      title: n.name ?? n.id,
      summary: isContainer(n) ? `${childrenOf(n).length} ${childrenOf(n).length === 1 ? 'child' : 'children'}` : summarize(n),
      params: analysis.params[n.id] ?? 0,
      inShape: incoming.get(n.id) ?? null,
      outShape: analysis.nodeShapes[n.id] ?? null,
      errors: d.errors,
      warnings: d.warnings,
      tiedTo: isShared(n) ? n.ref : undefined,
      tiedCount: tiedCount.get(n.id) ?? 0,
      collapsed: isContainer(n) ? !group : undefined,
      childCount: isContainer(n) ? childrenOf(n).length : undefined,
      graph,
      merge: layerSpec(n.op)?.merge === true,
      hiddenErrors: isContainer(n) && !group ? hiddenErrors(n) : 0,
    };
  };

  const portView = (graph: string, name: string, role: 'input' | 'output', shape: Shape | null): NodeView => ({
    kind: 'port',
    modelId: role === 'input' ? name : '',
    op: role,
    title: role === 'input' ? name : 'output',
    summary: '',
    params: 0,
    inShape: null,
    outShape: shape,
    errors: [],
    warnings: [],
    tiedCount: 0,
    graph,
    port: role,
  });

  /** Places the contents of an expanded container (or the scope root) starting at (x0, y0) inside `parent`. */
  const placeContents = (n: ModelNode, parent: string | undefined, x0: number, y0: number, innerW: number, isRoot: boolean) => {
    if (isSequential(n)) {
      const seq = n;
      let y = y0;
      const portShape = isRoot ? scopeInput() : null;
      let prev: string | null = null;
      if (isRoot) {
        const inId = inPortId(n.id, 'input');
        pushNode(inId, portView(n.id, 'input', 'input', portShape), x0 + (innerW - PORT_W) / 2, y, { w: PORT_W, h: PORT_H }, parent, false);
        y += PORT_H + GAP_Y;
        prev = inId;
      }
      for (const c of seq.children) {
        const s = sizes.get(c.id) as Size;
        placeNode(c, parent, x0 + (innerW - s.w) / 2, y, undefined);
        if (prev !== null) {
          const key = prev.startsWith('::in:') ? `input->${c.id}` : `${prev}->${c.id}`;
          addEdge(`${prev}->${c.id}`, prev, c.id, analysis.edgeShapes[key] ?? null);
        }
        prev = c.id;
        y += s.h + GAP_Y;
      }
      if (isRoot) {
        const outId = outPortId(n.id);
        const shape = scopeIsModel ? analysis.outputShape : (analysis.nodeShapes[n.id] ?? null);
        pushNode(outId, portView(n.id, 'output', 'output', shape), x0 + (innerW - PORT_W) / 2, y, { w: PORT_W, h: PORT_H }, parent, false);
        if (prev !== null) addEdge(`${prev}->${outId}`, prev, outId, shape);
      }
      return;
    }
    if (!isGraph(n)) return;
    const g = n;
    const r = ranks.get(g.id) as Map<string, number>;
    const items: { id: string; rank: number; size: Size; place: (x: number, y: number) => void }[] = [];
    for (const name of g.inputs) {
      const id = inPortId(g.id, name);
      const shape = isRoot ? scopeInput(name) : (incoming.get(g.id) ?? null);
      items.push({
        id,
        rank: 0,
        size: { w: PORT_W, h: PORT_H },
        place: (x, y) => pushNode(id, portView(g.id, name, 'input', shape), x, y, { w: PORT_W, h: PORT_H }, parent, false),
      });
    }
    for (const c of g.nodes)
      items.push({ id: c.id, rank: r.get(c.id) ?? 1, size: sizes.get(c.id) as Size, place: (x, y) => placeNode(c, parent, x, y, g.id) });
    const outId = outPortId(g.id);
    const outShape = analysis.nodeShapes[g.id] ?? (isRoot && scopeIsModel ? analysis.outputShape : null);
    items.push({
      id: outId,
      rank: r.get(outId) ?? 1,
      size: { w: PORT_W, h: PORT_H },
      place: (x, y) => pushNode(outId, portView(g.id, 'output', 'output', outShape), x, y, { w: PORT_W, h: PORT_H }, parent, false),
    });
    const byRank = new Map<number, typeof items>();
    for (const it of items) byRank.set(it.rank, [...(byRank.get(it.rank) ?? []), it]);
    let y = y0;
    for (const [, row] of [...byRank.entries()].sort((a, b) => a[0] - b[0])) {
      const rowW = row.reduce((sum, it) => sum + it.size.w, 0) + GAP_X * (row.length - 1);
      const rowH = Math.max(...row.map((it) => it.size.h));
      let x = x0 + (innerW - rowW) / 2;
      for (const it of row) {
        it.place(x, y);
        x += it.size.w + GAP_X;
      }
      y += rowH + GAP_Y;
    }
    const src = (id: string) => (g.inputs.includes(id) ? inPortId(g.id, id) : id);
    for (const e of g.edges) addEdge(e.id, src(e.from), e.to, analysis.edgeShapes[e.id] ?? null, { graph: g.id, modelEdge: e.id });
    for (const o of g.outputs) addEdge(`${o}->${outId}`, src(o), outId, outShape, { graph: g.id });
  };

  const placeNode = (n: ModelNode, parent: string | undefined, x: number, y: number, graph: string | undefined) => {
    const s = sizes.get(n.id) as Size;
    const view = viewOf(n, graph);
    if (!expanded(n)) {
      pushNode(n.id, view, x, y, s, parent, false);
      return;
    }
    view.kind = 'group';
    view.headWidth = groupHeadWidth(n);
    pushNode(n.id, view, x, y, s, parent, true);
    placeContents(n, n.id, PAD, HEAD + PAD, s.w - 2 * PAD, false);
  };

  if (isContainer(root)) {
    const s = measure(root, true);
    placeContents(root, undefined, 0, 0, s.w, true);
  } else {
    // A single-layer model: input → layer → output.
    measure(root, false);
    const inId = inPortId(root.id, 'input');
    const outId = outPortId(root.id);
    pushNode(inId, portView(root.id, 'input', 'input', scopeInput()), (LEAF_W - PORT_W) / 2, 0, { w: PORT_W, h: PORT_H }, undefined, false);
    placeNode(root, undefined, 0, PORT_H + GAP_Y, undefined);
    pushNode(
      outId,
      portView(root.id, 'output', 'output', analysis.outputShape),
      (LEAF_W - PORT_W) / 2,
      PORT_H + LEAF_H + 2 * GAP_Y,
      { w: PORT_W, h: PORT_H },
      undefined,
      false,
    );
    addEdge(`${inId}->${root.id}`, inId, root.id, scopeInput());
    addEdge(`${root.id}->${outId}`, root.id, outId, analysis.outputShape);
  }

  // Tied weights: a dashed link from each Shared node to its original, when both are on the canvas.
  const onCanvas = new Set(nodes.map((n) => n.id));
  for (const n of nodes) {
    const ref = n.data.tiedTo;
    if (ref !== undefined && onCanvas.has(ref)) {
      edges.push({
        id: `tie:${n.id}`,
        source: ref,
        target: n.id,
        sourceHandle: 'tie-out',
        targetHandle: 'tie-in',
        type: 'tie',
        selectable: false,
        focusable: false,
        data: { shape: null, errors: [], tie: true },
      });
    }
  }

  return { nodes, edges };
}
