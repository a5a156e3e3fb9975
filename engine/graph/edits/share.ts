/**
 * Tied weights. "Share weights with..." turns a layer into a Shared node pointing at another layer of the
 * same kind (one parameter set used in two places); "Untie" gives a Shared node its own copy again.
 * A tie is refused when the other layer's shapes do not fit where this one is (anywhere downstream
 * included), and when other nodes are tied to this one: their tie would have to move, and a tie the user
 * did not touch never changes. `shareCandidates` asks the same function, so the menu offers exactly the
 * ties the edit makes, and says why the others are not possible.
 */
import { analyzeDocument } from '../analyze';
import { layerSpec } from '../catalogue';
import type { ModelDocument, ModelNode, SharedNode } from '../format';
import { isGraph, isShared } from '../nodes';
import { placeNodes } from '../scopes';
import { childrenOf, cloneDocument, freshId, locate, replaceAt, usedIds, walk } from './tree';
import { done, refuse, type EditResult } from './types';

export function shareWeights(doc: ModelDocument, id: string, ref: string): EditResult {
  if (id === ref) return refuse('a layer already shares weights with itself');
  const places = placeNodes(doc);
  const here = places.get(id);
  let there = places.get(ref);
  if (here === undefined || there === undefined) return refuse(`there is no node "${here === undefined ? id : ref}"`);
  if (isShared(there.node)) {
    ref = there.node.ref;
    there = places.get(ref);
    if (there === undefined) return refuse(`${ref} no longer exists`);
  }
  if (layerSpec(there.node.op)?.merge) return refuse(`${ref} is a merge: it has no weights to share`);
  if (here.node.op !== there.node.op && here.node.op !== 'Shared')
    return refuse(`${id} is a ${here.node.op} and ${ref} a ${there.node.op}: only layers of the same kind can share weights`);
  if (here.scope !== there.scope)
    return refuse(`${id} and ${ref} are in different blocks or Graphs: a shared layer must be in the same one as its original`);
  if (there.ancestors.includes(id) || here.ancestors.includes(ref)) return refuse('a container cannot share weights with something inside it');
  const followers: string[] = [];
  walk(doc, ({ node }) => {
    if (isShared(node) && node.ref === id) followers.push(node.id);
  });
  if (followers.length > 0) {
    const list = followers.join(', ');
    return refuse(
      `${list} ${followers.length === 1 ? 'shares' : 'share'} ${id}'s weights, and tying ${id} to ${ref} would change that tie too: untie ${list} first`,
    );
  }
  const next = cloneDocument(doc);
  const loc = locate(next, id);
  if (loc === undefined) return refuse(`there is no node "${id}"`);
  const tied: SharedNode = { id, op: 'Shared', ref, ...(loc.node.name !== undefined ? { name: loc.node.name } : {}) };
  replaceAt(next, loc, tied);
  // Any new error, here or downstream (the other layer's output size flows on), means it does not fit.
  const key = (d: { id: string; message: string }) => `${d.id}\u0000${d.message}`;
  const before = new Set(analyzeDocument(doc).diagnostics.map(key));
  const bad = analyzeDocument(next).diagnostics.filter((d) => d.severity === 'error' && !before.has(key(d)));
  if (bad.length > 0) return refuse(`${ref} does not fit in place of ${id}: ${bad.map((d) => d.message).join('; ')}`);
  return done(next, [id]);
}

/** A layer `id` could be tied to, and why not (null: it fits). */
export interface ShareCandidate {
  node: ModelNode;
  reason: string | null;
}

/**
 * The other layers of `id`'s type in its scope (not ties, not merges; a layer of another block or Graph
 * can never be tied to it), each with the refusal shareWeights would give.
 */
export function shareCandidates(doc: ModelDocument, id: string): ShareCandidate[] {
  const places = placeNodes(doc);
  const here = places.get(id);
  if (here === undefined) return [];
  const out: ShareCandidate[] = [];
  for (const p of places.values()) {
    if (p.node.id === id || p.scope !== here.scope || p.node.op !== here.node.op || isShared(p.node) || layerSpec(p.node.op)?.merge) continue;
    const r = shareWeights(doc, id, p.node.id);
    out.push({ node: p.node, reason: r.ok ? null : r.reason });
  }
  return out;
}

/** A copy of a subtree with fresh ids for everything below the root (the root keeps `rootId`). */
export function copyWithFreshIds(node: ModelNode, rootId: string, taken: Set<string>): ModelNode {
  const copy = structuredClone(node);
  copy.id = rootId;
  const renames = new Map<string, string>();
  const visit = (n: ModelNode) => {
    for (const c of childrenOf(n)) {
      const id = freshId(taken, c.id.replace(/\d+$/, ''));
      renames.set(c.id, id);
      c.id = id;
      visit(c);
    }
  };
  visit(copy);
  remapInside(copy, renames);
  return copy;
}

/** Rewrites edges, outputs and Shared refs inside a subtree after its ids changed. */
export function remapInside(node: ModelNode, renames: Map<string, string>): void {
  const map = (id: string) => renames.get(id) ?? id;
  const visit = (n: ModelNode) => {
    if (isShared(n)) n.ref = map(n.ref);
    if (isGraph(n)) {
      const g = n;
      g.edges = g.edges.map((e) => ({ ...e, id: map(e.id), from: map(e.from), to: map(e.to) }));
      g.outputs = g.outputs.map(map);
    }
    childrenOf(n).forEach(visit);
  };
  visit(node);
}

export function untie(doc: ModelDocument, id: string): EditResult {
  const next = cloneDocument(doc);
  const loc = locate(next, id);
  if (loc === undefined) return refuse(`there is no node "${id}"`);
  const shared = loc.node;
  if (!isShared(shared)) return refuse(`${id} does not share weights with another layer`);
  const original = locate(next, shared.ref);
  if (original === undefined) return refuse(`${id} points at "${shared.ref}", which does not exist`);
  const copy = copyWithFreshIds(original.node, id, usedIds(next));
  if (loc.node.name !== undefined) copy.name = loc.node.name;
  else delete copy.name;
  replaceAt(next, loc, copy);
  return done(next, [id]);
}
