/**
 * Finding and replacing nodes inside a document tree. Every edit works on a deep copy (`cloneDocument`)
 * and mutates only that copy, so callers keep the old document for undo-free comparisons and the edits
 * stay pure from the outside.
 */
import type { ModelDocument, ModelNode } from '../format';
import { childrenOf, isContainer, isGraph, walkNodes, type ContainerNode } from '../nodes';

export { childrenOf };

/** Where a node sits: its container (null for a scope root), the list holding it and its index there. */
export interface Location {
  node: ModelNode;
  /** The Sequential or Graph holding it; null for the model root or a block body. */
  parent: ContainerNode | null;
  index: number;
  /** The block whose body holds this node (directly or deeper), or null for the model. */
  block: string | null;
}

export function cloneDocument(doc: ModelDocument): ModelDocument {
  return structuredClone(doc);
}

/** Calls `fn` for every node of the model and of every block body, parents before children. */
export function walk(doc: ModelDocument, fn: (loc: Location) => void): void {
  walkNodes(doc, ({ node, parent, index, block }) => fn({ node, parent, index, block }));
}

export function locate(doc: ModelDocument, id: string): Location | undefined {
  let found: Location | undefined;
  walk(doc, (loc) => {
    if (found === undefined && loc.node.id === id) found = loc;
  });
  return found;
}

/** Every id in use: nodes, edges and Graph input names (an id must not collide with any of them). */
export function usedIds(doc: ModelDocument): Set<string> {
  const ids = new Set<string>();
  walk(doc, ({ node }) => {
    ids.add(node.id);
    if (isGraph(node)) {
      for (const e of node.edges) ids.add(e.id);
      for (const i of node.inputs) ids.add(i);
    }
  });
  return ids;
}

/** A readable id not yet in `taken` ("linear1", "relu2", "e7"); adds it to `taken`. */
export function freshId(taken: Set<string>, base: string): string {
  const stem =
    base
      .replace(/[^A-Za-z0-9_]/g, '')
      .replace(/^([0-9])/, 'n$1')
      .toLowerCase() || 'node';
  for (let i = 1; ; i++) {
    const id = `${stem}${i}`;
    if (!taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
}

/** Replaces the node at `loc` (a root or a child) with `replacement` in the document copy. */
export function replaceAt(doc: ModelDocument, loc: Location, replacement: ModelNode): void {
  if (loc.parent !== null) {
    childrenOf(loc.parent)[loc.index] = replacement;
  } else if (loc.block !== null) {
    (doc.blocks as NonNullable<ModelDocument['blocks']>)[loc.block].body = replacement;
  } else {
    doc.model = replacement;
  }
}

export function containerOf(doc: ModelDocument, id: string): ContainerNode | undefined {
  const loc = locate(doc, id);
  return loc !== undefined && isContainer(loc.node) ? loc.node : undefined;
}
