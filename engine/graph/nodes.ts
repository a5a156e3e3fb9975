/**
 * The node kinds of a document, as types TypeScript can narrow. A layer's `op` is any catalogue name
 * (a string), which overlaps the structural ops ('Sequential', 'Graph', 'Block', 'Shared'), so comparing
 * `op` alone cannot tell a Sequential from a layer: these guards can, and every walker of the tree goes
 * through `childrenOf`, `walkNodes` and `matchNode` here. `matchNode` takes one case per kind, so a new
 * structural kind is a compile error wherever it must be handled.
 */
import type { BlockNode, GraphNode, LayerNode, ModelDocument, ModelNode, SequentialNode, SharedNode } from './format';

/** The nodes that hold other nodes: a chain, or a Module wired by edges. */
export type ContainerNode = SequentialNode | GraphNode;
/** The nodes that are not catalogue layers (what `op` alone cannot tell from a layer). */
export type StructuralNode = ContainerNode | BlockNode | SharedNode;
export type StructuralOp = StructuralNode['op'];

/** Every structural op, checked against the union: a kind missing here or misspelt does not compile. */
const STRUCTURAL_OPS: { [K in StructuralOp]: true } = { Sequential: true, Graph: true, Block: true, Shared: true };

export function isStructuralOp(op: string): op is StructuralOp {
  return Object.prototype.hasOwnProperty.call(STRUCTURAL_OPS, op);
}

export const isSequential = (n: ModelNode): n is SequentialNode => n.op === 'Sequential';
export const isGraph = (n: ModelNode): n is GraphNode => n.op === 'Graph';
export const isBlock = (n: ModelNode): n is BlockNode => n.op === 'Block';
export const isShared = (n: ModelNode): n is SharedNode => n.op === 'Shared';
export const isContainer = (n: ModelNode): n is ContainerNode => isSequential(n) || isGraph(n);
/** A catalogue layer or merge (whether its op is known to the catalogue is the analysis's question). */
export const isLayer = (n: ModelNode): n is LayerNode => !isStructuralOp(n.op);

/** One handler per node kind. */
export interface NodeCases<R> {
  sequential(n: SequentialNode): R;
  graph(n: GraphNode): R;
  block(n: BlockNode): R;
  shared(n: SharedNode): R;
  layer(n: LayerNode): R;
}

/** Calls the handler for n's kind: the one switch over node kinds every consumer shares. */
export function matchNode<R>(n: ModelNode, cases: NodeCases<R>): R {
  if (isSequential(n)) return cases.sequential(n);
  if (isGraph(n)) return cases.graph(n);
  if (isBlock(n)) return cases.block(n);
  if (isShared(n)) return cases.shared(n);
  return cases.layer(n);
}

/** The nodes a container holds (a Sequential's children, a Graph's nodes); none for anything else. */
export function childrenOf(n: ModelNode): ModelNode[] {
  if (isSequential(n)) return n.children;
  if (isGraph(n)) return n.nodes;
  return [];
}

/** Where the traversal found a node. */
export interface NodeVisit {
  node: ModelNode;
  /** The Sequential or Graph holding it; null for the model root or a block body. */
  parent: ContainerNode | null;
  /** Its position in the parent's list (0 for a root). */
  index: number;
  /** The block whose body holds it (at any depth), or null for the model. */
  block: string | null;
  /** Ids of the containers above it, outermost first. */
  ancestors: string[];
}

/**
 * Visits every node of the model and of every block body (the model first, then the blocks in their
 * order), parents before children. Returning `false` from `fn` skips the node's subtree.
 */
export function walkNodes(doc: ModelDocument, fn: (visit: NodeVisit) => void | boolean): void {
  const visit = (node: ModelNode, parent: ContainerNode | null, index: number, block: string | null, ancestors: string[]) => {
    if (fn({ node, parent, index, block, ancestors }) === false) return;
    if (!isContainer(node)) return;
    const below = [...ancestors, node.id];
    childrenOf(node).forEach((c, i) => visit(c, node, i, block, below));
  };
  visit(doc.model, null, 0, null, []);
  for (const [name, def] of Object.entries(doc.blocks ?? {})) visit(def.body, null, 0, name, []);
}

/** Every node below (and including) `root`, parents before children. */
export function subtree(root: ModelNode): ModelNode[] {
  const out: ModelNode[] = [];
  const visit = (n: ModelNode) => {
    out.push(n);
    childrenOf(n).forEach(visit);
  };
  visit(root);
  return out;
}
