/**
 * Where to look for a problem: the node a diagnostic names (for an edge of a Graph, the node it feeds),
 * the block definition holding it ('' for the model), and the groups around it that must be expanded
 * for it to be drawn. The problems list uses it to bring any node into view, wherever it is.
 */
import type { ModelDocument } from '../../engine/graph/format';
import { isGraph } from '../../engine/graph/nodes';
import { locate, walk } from '../../engine/graph/edits';
import { placeNodes } from '../../engine/graph/scopes';

export interface RevealTarget {
  id: string;
  block: string;
  ancestors: string[];
}

export function revealTarget(doc: ModelDocument, id: string): RevealTarget | undefined {
  let nodeId = id;
  if (locate(doc, id) === undefined) {
    let consumer: string | undefined;
    walk(doc, ({ node }) => {
      if (isGraph(node)) consumer ??= node.edges.find((e) => e.id === id)?.to;
    });
    if (consumer === undefined) return undefined;
    nodeId = consumer;
  }
  const loc = locate(doc, nodeId);
  const place = placeNodes(doc).get(nodeId);
  if (loc === undefined || place === undefined) return undefined;
  return { id: nodeId, block: loc.block ?? '', ancestors: place.ancestors };
}
