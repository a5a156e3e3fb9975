/**
 * "Auto layout": elkjs's layered algorithm over the canvas as a compound graph. Groups are laid out
 * inside out: each expanded group's children first, then the group, at its final size (no narrower than
 * its header), takes its place among its siblings, so nested groups never overlap their neighbours.
 * Every edge of the canvas joins two siblings, so each edge goes into the layout of their parent.
 * Returns positions relative to each node's parent, and group sizes.
 */
import ELK, { type ElkExtendedEdge, type ElkNode } from 'elkjs/lib/elk.bundled.js';
import type { FlowEdgeT, FlowNodeT } from './toFlow';

const elk = new ELK();
const OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.hierarchyHandling': 'SEPARATE_CHILDREN',
  'elk.layered.spacing.nodeNodeBetweenLayers': '48',
  'elk.spacing.nodeNode': '32',
  'elk.padding': '[top=46,left=16,bottom=16,right=16]',
};

export async function autoLayout(nodes: FlowNodeT[], edges: FlowEdgeT[]): Promise<Map<string, { x: number; y: number; w?: number; h?: number }>> {
  const byId = new Map<string, ElkNode>();
  const root: ElkNode = { id: '::root', layoutOptions: OPTIONS, children: [], edges: [] };
  for (const n of nodes) {
    const group = n.type === 'group';
    const sizing = { 'elk.nodeSize.constraints': '[MINIMUM_SIZE]', 'elk.nodeSize.minimum': `(${n.data.headWidth ?? 0}, 0)` };
    byId.set(n.id, {
      id: n.id,
      ...(group ? { children: [], edges: [], layoutOptions: { ...OPTIONS, ...sizing } } : { width: n.width ?? 200, height: n.height ?? 60 }),
    });
  }
  const parentOf = (id: string) => {
    const p = nodes.find((n) => n.id === id)?.parentId;
    return (p !== undefined ? byId.get(p) : undefined) ?? root;
  };
  for (const n of nodes) parentOf(n.id).children?.push(byId.get(n.id) as ElkNode);
  for (const e of edges) {
    if (e.type === 'tie') continue; // a tie is not a data flow, and may join nodes of different groups
    const edge: ElkExtendedEdge = { id: e.id, sources: [e.source], targets: [e.target] };
    parentOf(e.source).edges?.push(edge);
  }
  const laid = await elk.layout(root);
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
