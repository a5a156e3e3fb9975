/**
 * Copy and paste. Copy takes the selected nodes (whole subtrees), the Graph edges among them and the block
 * definitions they use; paste gives every pasted node and edge a fresh id, keeps the pasted nodes wired to
 * each other, and brings missing block definitions along (pasting into another model works too).
 */
import { blockDefinition, type Edge, type ModelDocument, type ModelNode } from '../format';
import { isBlock, isShared, subtree } from '../nodes';
import { layerSpec } from '../catalogue';
import { resolvePlacement } from './add';
import { subtreeIds } from './delete';
import { copyWithFreshIds, remapInside } from './share';
import { childrenOf, cloneDocument, freshId, locate, usedIds, walk } from './tree';
import { done, refuse, type ClipboardPayload, type EditResult, type Placement } from './types';

export function copyNodes(doc: ModelDocument, ids: string[]): ClipboardPayload {
  const chosen = new Set(ids);
  const nodes: ModelNode[] = [];
  const edges: Edge[] = [];
  walk(doc, ({ node, parent }) => {
    if (!chosen.has(node.id)) return;
    // Skip a node whose ancestor is also chosen: it comes along inside that subtree.
    let covered = false;
    walk(doc, ({ node: other }) => {
      if (other.id !== node.id && chosen.has(other.id) && subtreeIds(other).has(node.id)) covered = true;
    });
    if (covered) return;
    nodes.push(structuredClone(node));
    if (parent?.op === 'Graph') for (const e of parent.edges) if (e.from === node.id && chosen.has(e.to)) edges.push({ ...e });
  });
  const blocks: ClipboardPayload['blocks'] = {};
  const addBlocks = (n: ModelNode) => {
    if (isBlock(n)) {
      const name = n.block;
      const def = blockDefinition(doc, name);
      if (def !== undefined && blockDefinition({ blocks }, name) === undefined) {
        blocks[name] = structuredClone(def);
        addBlocks(def.body);
      }
    }
    childrenOf(n).forEach(addBlocks);
  };
  nodes.forEach(addBlocks);
  const originals: Record<string, ModelNode> = {};
  const copied = new Set(nodes.flatMap((n) => [...subtreeIds(n)]));
  for (const n of nodes) {
    for (const m of subtree(n)) {
      const original = isShared(m) && !copied.has(m.ref) ? locate(doc, m.ref)?.node : undefined;
      if (isShared(m) && original !== undefined) originals[m.ref] = structuredClone(original);
    }
  }
  return { kind: 'nnblocks.clipboard/1', nodes, edges, blocks, originals };
}

export function isClipboardPayload(v: unknown): v is ClipboardPayload {
  const p = v as ClipboardPayload;
  return (
    typeof v === 'object' &&
    v !== null &&
    p.kind === 'nnblocks.clipboard/1' &&
    Array.isArray(p.nodes) &&
    Array.isArray(p.edges) &&
    typeof p.blocks === 'object' &&
    typeof p.originals === 'object'
  );
}

export function paste(doc: ModelDocument, payload: ClipboardPayload, placement: Placement): EditResult {
  if (payload.nodes.length === 0) return refuse('the clipboard holds no nodes');
  const next = cloneDocument(doc);
  const taken = usedIds(next);
  const where = resolvePlacement(next, placement);
  if (typeof where === 'string') return refuse(where);
  if (where.container.op === 'Sequential') {
    const merge = payload.nodes.find((n) => layerSpec(n.op)?.merge);
    if (merge) return refuse(`${merge.id} is a ${merge.op} merge: it cannot be pasted into a Sequential chain`);
  }
  for (const [name, def] of Object.entries(payload.blocks)) {
    if (blockDefinition(next, name) === undefined) {
      const body = structuredClone(def.body);
      const renames = new Map<string, string>();
      for (const id of subtreeIds(body))
        if (taken.has(id)) renames.set(id, freshId(taken, id.replace(/\d+$/, '')));
        else taken.add(id);
      renameIds(body, renames);
      next.blocks = { ...(next.blocks ?? {}), [name]: { ...def, body } };
    }
  }
  const renames = new Map<string, string>();
  const fresh = payload.nodes.map((n) => structuredClone(n));
  for (const n of fresh) for (const id of subtreeIds(n)) renames.set(id, freshId(taken, id.replace(/\d+$/, '')));
  for (const e of payload.edges) renames.set(e.id, freshId(taken, 'e'));
  for (const n of fresh) renameIds(n, renames);
  // Keys must stay unique among the new siblings.
  const siblings = where.container.op === 'Sequential' ? where.container.children : where.container.nodes;
  const names = new Set(siblings.map((s) => s.name).filter((s): s is string => s !== undefined));
  for (const n of fresh) {
    if (n.name === undefined) continue;
    let name = n.name;
    for (let i = 2; names.has(name); i++) name = `${n.name}_${i}`;
    n.name = name;
    names.add(name);
  }
  siblings.splice(where.index, 0, ...fresh);
  if (where.container.op === 'Graph') {
    const g = where.container;
    for (const e of payload.edges)
      g.edges.push({ ...e, id: renames.get(e.id) as string, from: renames.get(e.from) ?? e.from, to: renames.get(e.to) ?? e.to });
  }
  // A pasted tied node stays tied when its original exists here (same model, same scope); otherwise it
  // becomes an owned copy of the original that travelled on the clipboard.
  for (let i = 0; i < fresh.length; i++) {
    const n = fresh[i];
    const ref = isShared(n) ? n.ref : undefined;
    const original = ref !== undefined ? payload.originals?.[ref] : undefined;
    if (ref === undefined || original === undefined || locate(next, ref) !== undefined) continue;
    const copy = copyWithFreshIds(original, n.id, taken);
    if (n.name !== undefined) copy.name = n.name;
    else delete copy.name;
    siblings[where.index + i] = copy;
  }
  return done(
    next,
    fresh.map((n) => n.id),
  );
}

function renameIds(root: ModelNode, renames: Map<string, string>): void {
  for (const m of subtree(root)) m.id = renames.get(m.id) ?? m.id;
  remapInside(root, renames);
}
