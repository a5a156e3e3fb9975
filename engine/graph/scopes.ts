/**
 * Where each node lives. A *scope* is what owns layer instances in generated code: the model itself, a
 * block definition (each instance builds its own), or a Graph (a class whose constructor builds its
 * layers). A Shared node must reuse a layer of its own scope: across a block boundary "the same layer"
 * would be ambiguous (every instance has its own), and across a Graph class there is no handle to it.
 */
import type { ModelDocument, ModelNode } from './format';
import { childrenOf, isGraph } from './nodes';

export interface NodePlace {
  node: ModelNode;
  /** Id of the owning scope: '' for the model, `block:<name>` for a block body, a Graph's id for its contents. */
  scope: string;
  /** Ids of the containers above this node, outermost first. */
  ancestors: string[];
  /** The parent container, or null for a scope root. */
  parent: ModelNode | null;
}

export function placeNodes(doc: ModelDocument): Map<string, NodePlace> {
  const out = new Map<string, NodePlace>();
  const visit = (n: ModelNode, scope: string, ancestors: string[], parent: ModelNode | null) => {
    if (!out.has(n.id)) out.set(n.id, { node: n, scope, ancestors, parent });
    const below = [...ancestors, n.id];
    // A Graph is a scope of its own (a class); a Sequential's children belong to the enclosing one.
    for (const c of childrenOf(n)) visit(c, isGraph(n) ? n.id : scope, below, n);
  };
  visit(doc.model, '', [], null);
  for (const [name, def] of Object.entries(doc.blocks ?? {})) visit(def.body, `block:${name}`, [], null);
  return out;
}
