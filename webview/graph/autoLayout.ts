/**
 * "Auto layout": elkjs's layered algorithm over the canvas as a compound graph (expanded groups are
 * hierarchical nodes), so nested groups are laid out inside their parents. Returns positions relative
 * to each node's parent, and group sizes.
 */
import ELK, { type ElkNode, type ElkExtendedEdge } from 'elkjs/lib/elk.bundled.js';
import type { FlowEdgeT, FlowNodeT } from './toFlow';

const elk = new ELK();
const OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.layered.spacing.nodeNodeBetweenLayers': '48',
  'elk.spacing.nodeNode': '32',
  'elk.padding': '[top=46,left=16,bottom=16,right=16]',
};

export async function autoLayout(nodes: FlowNodeT[], edges: FlowEdgeT[]): Promise<Map<string, { x: number; y: number; w?: number; h?: number }>> {
  const byId = new Map<string, ElkNode>();
  const roots: ElkNode[] = [];
  for (const n of nodes) {
    const group = n.type === 'group';
    const e: ElkNode = { id: n.id, ...(group ? { children: [], layoutOptions: OPTIONS } : { width: n.width ?? 200, height: n.height ?? 60 }) };
    byId.set(n.id, e);
  }
  for (const n of nodes) {
    const e = byId.get(n.id) as ElkNode;
    const parent = n.parentId ? byId.get(n.parentId) : undefined;
    if (parent) parent.children?.push(e);
    else roots.push(e);
  }
  const elkEdges: ElkExtendedEdge[] = edges.filter((e) => e.type !== 'tie').map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] }));
  const laid = await elk.layout({ id: '::root', layoutOptions: OPTIONS, children: roots, edges: elkEdges });
  const out = new Map<string, { x: number; y: number; w?: number; h?: number }>();
  const visit = (n: ElkNode) => {
    for (const c of n.children ?? []) {
      out.set(c.id, { x: c.x ?? 0, y: c.y ?? 0, ...(c.children ? { w: c.width, h: c.height } : {}) });
      visit(c);
    }
  };
  visit(laid);
  return out;
}
