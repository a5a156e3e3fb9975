/**
 * Reusable blocks: "Make reusable block" moves a node (usually a Sequential) into the document's block
 * definitions and leaves an instance in its place; instances are added like any node (op 'Block').
 * Editing the definition changes every instance, since they all build from it.
 */
import { isIdentifier } from '../analyze';
import { blockDefinition, type ModelDocument } from '../format';
import { isShared } from '../nodes';
import { subtreeIds } from './delete';
import { cloneDocument, locate, replaceAt, walk } from './tree';
import { done, refuse, type EditResult } from './types';

export function makeBlock(doc: ModelDocument, id: string, name: string): EditResult {
  if (!isIdentifier(name))
    return refuse(`"${name}" is not a valid block name: use letters, digits and _, not starting with a digit (it becomes a function name)`);
  if (blockDefinition(doc, name) !== undefined) return refuse(`a block named "${name}" already exists`);
  const next = cloneDocument(doc);
  const loc = locate(next, id);
  if (loc === undefined) return refuse(`there is no node "${id}"`);
  if (loc.node.op === 'Block' || loc.node.op === 'Shared') return refuse(`${id} is a ${loc.node.op} node: make a block from layers or a group`);
  const inside = subtreeIds(loc.node);
  let crossing: string | undefined;
  walk(next, ({ node }) => {
    if (!isShared(node) || crossing !== undefined) return;
    const r = node.ref;
    if (inside.has(node.id) !== inside.has(r))
      crossing = `${node.id} shares weights with ${r} across the new block's boundary (every instance has its own weights): untie it first`;
  });
  if (crossing !== undefined) return refuse(crossing);
  const instance = { id: `${id}_block`, op: 'Block' as const, block: name, ...(loc.node.name !== undefined ? { name: loc.node.name } : {}) };
  while (locate(next, instance.id) !== undefined) instance.id += '_';
  const body = structuredClone(loc.node);
  delete body.name;
  replaceAt(next, loc, instance);
  next.blocks = { ...(next.blocks ?? {}), [name]: { body } };
  return done(next, [instance.id]);
}
