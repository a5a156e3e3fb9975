/**
 * Deleting nodes. In a Sequential the chain closes by itself; in a Graph a deleted node with one input is
 * bridged (its consumers and the Graph output take that input instead), so removing a layer from the
 * middle of a path keeps the path. Nodes tied to a deleted layer keep working: the first of them becomes
 * the owner of a copy of the layer, and the others are re-tied to it.
 */
import type { GraphNode, ModelDocument, ModelNode } from '../format';
import { isShared, subtree } from '../nodes';
import { childrenOf, cloneDocument, locate, walk } from './tree';
import { done, refuse, type EditResult } from './types';

/** Every id inside a subtree, the root included. */
export function subtreeIds(node: ModelNode): Set<string> {
  return new Set(subtree(node).map((n) => n.id));
}

function removeFromGraph(g: GraphNode, id: string): void {
  const incoming = g.edges.filter((e) => e.to === id);
  const source = incoming.length === 1 ? incoming[0].from : undefined;
  const outgoing = g.edges.filter((e) => e.from === id);
  g.nodes = g.nodes.filter((n) => n.id !== id);
  g.edges = g.edges.filter((e) => e.to !== id && e.from !== id);
  if (source !== undefined) {
    for (const e of outgoing) if (!g.edges.some((x) => x.from === source && x.to === e.to)) g.edges.push({ ...e, from: source });
  }
  g.outputs = g.outputs.map((o) => (o === id ? (source ?? g.inputs[0]) : o));
}

/** Replaces Shared nodes pointing into a removed subtree by an owned copy (the first) and re-ties the rest to it. */
function rehomeShared(doc: ModelDocument, removed: Map<string, ModelNode>): void {
  const owners = new Map<string, string>();
  walk(doc, ({ node, parent, index, block }) => {
    if (!isShared(node)) return;
    const original = removed.get(node.ref);
    if (original === undefined) return;
    const owner = owners.get(node.ref);
    if (owner !== undefined) {
      node.ref = owner;
      return;
    }
    owners.set(node.ref, node.id);
    const copy: ModelNode = { ...structuredClone(original), id: node.id };
    if (node.name !== undefined) copy.name = node.name;
    else delete copy.name;
    if (parent !== null) childrenOf(parent)[index] = copy;
    else if (block !== null && doc.blocks) doc.blocks[block].body = copy;
    else doc.model = copy;
  });
}

export function deleteNodes(doc: ModelDocument, ids: string[]): EditResult {
  const next = cloneDocument(doc);
  const removed = new Map<string, ModelNode>();
  for (const id of ids) {
    const loc = locate(next, id);
    if (loc === undefined) continue; // already gone with an ancestor
    if (loc.parent === null)
      return refuse(
        loc.block !== null
          ? `${id} is the body of block '${loc.block}': delete the block's instances instead`
          : `${id} is the model itself and cannot be deleted`,
      );
    for (const inner of subtree(loc.node)) removed.set(inner.id, inner);
    if (loc.parent.op === 'Sequential') loc.parent.children.splice(loc.index, 1);
    else removeFromGraph(loc.parent, id);
  }
  if (removed.size === 0) return refuse('nothing to delete');
  rehomeShared(next, removed);
  return done(next);
}
