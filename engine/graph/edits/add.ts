/** Adding a node: a layer from the catalogue, a merge, a container, a block instance or a tied (Shared) node. */
import { layerSpec, type ArgValue } from '../catalogue';
import type { Shape } from '../layers/types';
import { blockDefinition, type LayerNode, type ModelDocument, type ModelNode } from '../format';
import { isContainer, isGraph, isSequential, type ContainerNode } from '../nodes';
import { cloneDocument, freshId, locate, usedIds } from './tree';
import { done, refuse, type EditResult, type Placement } from './types';

export interface NewNodeSpec {
  op: string;
  args?: Record<string, ArgValue>;
  block?: string;
  ref?: string;
}

/**
 * The node a palette item creates; required args get their catalogue default or a sensible size, and
 * the sizes the catalogue marks `fromInput` come from `input`, the shape where the node goes (as
 * PyTorch's Lazy modules infer them), so a new layer fits where it is added.
 */
export function makeNode(doc: ModelDocument, taken: Set<string>, spec: NewNodeSpec, input?: Shape): ModelNode | string {
  switch (spec.op) {
    case 'Sequential':
      return { id: freshId(taken, 'seq'), op: 'Sequential', children: [] };
    case 'Graph':
      return { id: freshId(taken, 'graph'), op: 'Graph', inputs: ['x'], nodes: [], edges: [], outputs: ['x'] };
    case 'Block':
      if (spec.block === undefined || blockDefinition(doc, spec.block) === undefined) return `there is no block named "${spec.block ?? ''}"`;
      return { id: freshId(taken, spec.block), op: 'Block', block: spec.block };
    case 'Shared':
      if (spec.ref === undefined || locate(doc, spec.ref) === undefined) return `there is no node "${spec.ref ?? ''}" to share weights with`;
      return { id: freshId(taken, `${spec.ref}_tied`), op: 'Shared', ref: spec.ref };
  }
  const layer = layerSpec(spec.op);
  if (layer === undefined) return `unknown layer type "${spec.op}"`;
  const args: Record<string, ArgValue> = {};
  for (const a of layer.args) {
    if (spec.args?.[a.name] !== undefined) args[a.name] = spec.args[a.name];
    else {
      const size = a.fromInput === undefined ? undefined : sizeFromInput(a.fromInput, input);
      if (size !== undefined) args[a.name] = a.type === 'ints' ? [size] : size;
      else if (a.required) args[a.name] = a.min !== undefined && a.min > 1 ? a.min : a.type === 'int' ? 16 : 1;
    }
  }
  const node: LayerNode = { id: freshId(taken, spec.op), op: spec.op };
  if (Object.keys(args).length > 0) node.args = args;
  return node;
}

/** Resolves a placement to a container in the (copied) document and an index in its child list. */
export function resolvePlacement(doc: ModelDocument, placement: Placement): { container: ContainerNode; index: number; after?: string } | string {
  if ('after' in placement) {
    const loc = locate(doc, placement.after);
    if (loc === undefined) return `there is no node "${placement.after}"`;
    if (loc.parent === null) {
      // After the root: only a container root can take a sibling-like child at its end.
      const root = loc.node;
      if (isSequential(root)) return { container: root, index: root.children.length };
      if (isGraph(root)) return { container: root, index: root.nodes.length };
      return 'the model is a single layer: group it as a Sequential first to add layers after it';
    }
    return { container: loc.parent, index: loc.index + 1, after: placement.after };
  }
  const loc = locate(doc, placement.container);
  if (loc === undefined) return `there is no container "${placement.container}"`;
  const c = loc.node;
  if (!isContainer(c)) return `${placement.container} is a ${c.op}, not a Sequential or Graph`;
  const list = c.op === 'Sequential' ? c.children : c.nodes;
  return { container: c, index: Math.max(0, Math.min(placement.index ?? list.length, list.length)) };
}

/**
 * Puts nodes into a container. In a Graph placed "after" a node, the first new node is spliced into that
 * node's outgoing connections (what "insert after the selected node" means on a wire).
 */
export function insertNodes(taken: Set<string>, target: { container: ContainerNode; index: number; after?: string }, nodes: ModelNode[]): void {
  const c = target.container;
  if (c.op === 'Sequential') {
    c.children.splice(target.index, 0, ...nodes);
    return;
  }
  c.nodes.splice(target.index, 0, ...nodes);
  if (target.after === undefined || nodes.length !== 1) return;
  const [n] = nodes;
  const spec = layerSpec(n.op);
  for (const e of c.edges) if (e.from === target.after) e.from = n.id;
  c.outputs = c.outputs.map((o) => (o === target.after ? n.id : o));
  c.edges.push({ id: freshId(taken, 'e'), from: target.after, to: n.id, ...(spec?.merge ? { port: 0 } : {}) });
}

/** The size a `fromInput` argument takes from a shape: its last dimension, or dimension 1 (channels). */
function sizeFromInput(from: 'features' | 'channels', input: Shape | undefined): number | undefined {
  if (input === undefined || input.length < 2) return undefined;
  const d = from === 'features' ? input[input.length - 1] : input[1];
  return typeof d === 'number' ? d : undefined;
}

/** The shapes an added node can take its input size from: the analysis of the document before the edit. */
export interface ShapesAt {
  nodeShapes: Record<string, Shape>;
  edgeShapes: Record<string, Shape>;
}

/**
 * The shape flowing into a node placed at `target`: after a node, that node's output; in a Sequential at
 * an index, what flows between the children there (into an empty one, what flows into the Sequential).
 * Undefined for a free node of a Graph (nothing is wired into it yet) or where the shapes are not known.
 */
function inputShapeAt(
  doc: ModelDocument,
  target: { container: ContainerNode; index: number; after?: string },
  shapes: ShapesAt | undefined,
): Shape | undefined {
  if (shapes === undefined) return undefined;
  if (target.after !== undefined) return shapes.nodeShapes[target.after];
  const c = target.container;
  if (c.op !== 'Sequential') return undefined;
  const kids = c.children;
  if (target.index > 0) return shapes.nodeShapes[kids[target.index - 1].id];
  if (kids.length > 0) return shapes.edgeShapes[`input->${kids[0].id}`];
  const loc = locate(doc, c.id);
  if (loc === undefined) return undefined;
  if (loc.parent === null) return ['N', ...doc.input.shape];
  if (loc.parent.op === 'Sequential') return inputShapeAt(doc, { container: loc.parent, index: loc.index }, shapes);
  // In a Graph: what the edge into it carries.
  const parent = loc.parent;
  const edge = parent.edges.find((e) => e.to === c.id);
  return edge === undefined ? undefined : shapes.edgeShapes[edge.id];
}

export function addNode(doc: ModelDocument, placement: Placement, spec: NewNodeSpec, shapes?: ShapesAt): EditResult {
  const next = cloneDocument(doc);
  const taken = usedIds(next);
  const where = resolvePlacement(next, placement);
  if (typeof where === 'string') return refuse(where);
  const node = makeNode(next, taken, spec, inputShapeAt(next, where, shapes));
  if (typeof node === 'string') return refuse(node);
  if (where.container.op === 'Sequential' && layerSpec(node.op)?.merge) {
    return refuse(`a ${node.op} merge takes several inputs, so it belongs in a Graph, not in a Sequential chain`);
  }
  insertNodes(taken, where, [node]);
  return done(next, [node.id]);
}
