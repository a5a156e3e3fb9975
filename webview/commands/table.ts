/**
 * The canvas's commands, once: each with its label, its key, where the context menu shows it and when
 * it applies. The context menu (menu.ts) and the keyboard shortcuts (keymap.ts) are both read from this
 * table, so a shortcut shown in the menu is the one that works, and both refuse the same things.
 * Undo/redo (Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y) are not here: VS Code receives those keys from the webview
 * and undoes the text document, whose new text flows back.
 */
import { layerSpec, resolvedArgs } from '../../engine/graph/catalogue';
import type { ModelDocument, ModelNode } from '../../engine/graph/format';
import { shareCandidates, type EditOp, type ShareCandidate } from '../../engine/graph/edits';
import type { MenuItem } from '../panels/ContextMenu';

/** What a command acts on and with. */
export interface CommandEnv {
  doc: ModelDocument;
  /** The nodes it acts on: the selection, or the node right-clicked. */
  sel: string[];
  /** The first of them, when it is in the document. */
  node: ModelNode | undefined;
  collapsed: ReadonlySet<string>;
  edit(op: EditOp): void;
  layout(): void;
  fit(): void;
  toggleCollapse(id: string): void;
  askBlockName(id: string): void;
  openBlock(name: string): void;
  select(ids: string[]): void;
}

export interface EditorCommand {
  label: string | ((env: CommandEnv) => string);
  /** The key as the menu shows it. */
  shortcut?: string;
  /** Whether a key press is this command's key (checked only outside text fields). */
  key?: (e: KeyboardEvent) => boolean;
  /** Which context menu lists it: a node's (acting on the selection) or the empty canvas's; none: keys only. */
  menu?: 'node' | 'canvas';
  separatorBefore?: boolean;
  /** Listed in the menu only for some nodes (Edit Block Definition on a Block). */
  shown?: (env: CommandEnv) => boolean;
  /** Whether it can act now: greyed out in the menu, and its key does nothing, when not. */
  enabled?: (env: CommandEnv) => boolean;
  run?: (env: CommandEnv) => void;
  /** A sub-list shown in place of the menu (the layers to share weights with). */
  children?: (env: CommandEnv) => MenuItem[];
}

const mod = (e: KeyboardEvent) => e.ctrlKey || e.metaKey;
const one = (env: CommandEnv) => env.sel.length === 1 && env.node !== undefined;
const some = (env: CommandEnv) => env.sel.length > 0 && env.node !== undefined;
const isContainer = (n: ModelNode | undefined) => n?.op === 'Sequential' || n?.op === 'Graph';
const isMerge = (n: ModelNode | undefined) => n !== undefined && layerSpec(n.op)?.merge === true;
/** A layer (not a container, block instance, tie or merge): what weights can be shared or copied of. */
const plainLayer = (n: ModelNode | undefined) => n !== undefined && !isContainer(n) && n.op !== 'Block' && n.op !== 'Shared' && !isMerge(n);

/** The layer a tied copy points at, for a Shared node. */
const sharedRef = (n: ModelNode | undefined): string | undefined => (n?.op === 'Shared' && 'ref' in n ? n.ref : undefined);
/** The definition a Block node instantiates. */
const blockOf = (n: ModelNode | undefined): string | undefined => (n?.op === 'Block' && 'block' in n ? n.block : undefined);

/** Other layers of the node's type in its scope, each with why it cannot be tied to (the edit's own check). */
const tieTargets = (env: CommandEnv): ShareCandidate[] => (env.node === undefined ? [] : shareCandidates(env.doc, env.node.id));

/** One layer to share weights with: its name and sizes; one that does not fit is greyed out with the reason. */
function tieItem(env: CommandEnv, t: ShareCandidate): MenuItem {
  const spec = layerSpec(t.node.op);
  const args = 'args' in t.node ? t.node.args : undefined;
  const summary = spec?.summary?.(resolvedArgs(spec, args)) ?? '';
  return {
    label: `${t.node.name ?? t.node.id}  (${t.node.op}${summary === '' ? '' : ` ${summary}`})`,
    disabled: t.reason !== null,
    detail: t.reason ?? undefined,
    run: () => env.node && env.edit({ kind: 'shareWeights', id: env.node.id, ref: t.node.id }),
  };
}

export const COMMANDS: readonly EditorCommand[] = [
  { label: 'Auto Layout', shortcut: 'Shift+L', menu: 'canvas', key: (e) => e.shiftKey && e.key === 'L', run: (env) => env.layout() },
  // The key, whatever the keyboard layout prints on it.
  { label: 'Fit View', shortcut: 'Shift+1', menu: 'canvas', key: (e) => e.shiftKey && e.code === 'Digit1', run: (env) => env.fit() },
  {
    label: 'Group as Sequential',
    shortcut: 'Ctrl+G',
    menu: 'node',
    key: (e) => mod(e) && !e.shiftKey && e.key.toLowerCase() === 'g',
    enabled: some,
    run: (env) => env.edit({ kind: 'group', ids: env.sel }),
  },
  {
    label: 'Ungroup',
    shortcut: 'Ctrl+Shift+G',
    menu: 'node',
    key: (e) => mod(e) && e.shiftKey && e.key.toLowerCase() === 'g',
    enabled: (env) => one(env) && env.node?.op === 'Sequential',
    run: (env) => env.node && env.edit({ kind: 'ungroup', id: env.node.id }),
  },
  {
    label: (env) => (env.node && env.collapsed.has(env.node.id) ? 'Expand' : 'Collapse'),
    menu: 'node',
    enabled: (env) => isContainer(env.node),
    run: (env) => env.node && env.toggleCollapse(env.node.id),
  },
  {
    label: 'Make Reusable Block...',
    menu: 'node',
    separatorBefore: true,
    enabled: (env) => one(env) && env.node?.op !== 'Block' && env.node?.op !== 'Shared',
    run: (env) => env.node && env.askBlockName(env.node.id),
  },
  {
    label: 'Edit Block Definition',
    menu: 'node',
    shown: (env) => env.node?.op === 'Block',
    run: (env) => {
      const block = blockOf(env.node);
      if (block !== undefined) env.openBlock(block);
    },
  },
  {
    label: 'Share Weights With...',
    menu: 'node',
    enabled: (env) => one(env) && plainLayer(env.node) && tieTargets(env).length > 0,
    children: (env) => tieTargets(env).map((t) => tieItem(env, t)),
  },
  {
    label: 'Add Tied Copy',
    menu: 'node',
    enabled: (env) => one(env) && plainLayer(env.node),
    run: (env) => env.node && env.edit({ kind: 'addNode', op: 'Shared', ref: env.node.id, placement: { after: env.node.id } }),
  },
  {
    label: 'Untie',
    menu: 'node',
    enabled: (env) => env.node?.op === 'Shared',
    run: (env) => env.node && env.edit({ kind: 'untie', id: env.node.id }),
  },
  {
    label: (env) => `Go to Original (${sharedRef(env.node) ?? ''})`,
    menu: 'node',
    shown: (env) => sharedRef(env.node) !== undefined,
    run: (env) => {
      const ref = sharedRef(env.node);
      if (ref !== undefined) env.select([ref]);
    },
  },
  {
    label: 'Move Up',
    shortcut: 'Alt+Up',
    menu: 'node',
    separatorBefore: true,
    key: (e) => e.altKey && e.key === 'ArrowUp',
    enabled: one,
    run: (env) => env.node && env.edit({ kind: 'reorder', id: env.node.id, delta: -1 }),
  },
  {
    label: 'Move Down',
    shortcut: 'Alt+Down',
    menu: 'node',
    key: (e) => e.altKey && e.key === 'ArrowDown',
    enabled: one,
    run: (env) => env.node && env.edit({ kind: 'reorder', id: env.node.id, delta: 1 }),
  },
  {
    label: 'Delete',
    shortcut: 'Del',
    menu: 'node',
    separatorBefore: true,
    key: (e) => e.key === 'Delete' || e.key === 'Backspace',
    enabled: some,
    run: (env) => env.edit({ kind: 'delete', ids: env.sel }),
  },
  { label: 'Clear Selection', key: (e) => e.key === 'Escape', run: (env) => env.select([]) },
];

const applies = (c: EditorCommand, env: CommandEnv) => (c.shown?.(env) ?? true) && (c.enabled?.(env) ?? true);

/** The context menu's items: the node's commands when nodes are selected (or one was right-clicked), else the canvas's. */
export function menuItems(env: CommandEnv): MenuItem[] {
  const where = env.sel.length > 0 ? 'node' : 'canvas';
  if (where === 'node' && env.node === undefined) return [];
  return COMMANDS.filter((c) => c.menu === where && (c.shown?.(env) ?? true)).map((c) => ({
    label: typeof c.label === 'function' ? c.label(env) : c.label,
    shortcut: c.shortcut,
    separatorBefore: c.separatorBefore,
    disabled: !(c.enabled?.(env) ?? true),
    run: c.run && (() => c.run?.(env)),
    children: c.children?.(env),
  }));
}

/** The command whose key `e` is and that applies now, if any. */
export function commandForKey(e: KeyboardEvent, env: CommandEnv): EditorCommand | undefined {
  return COMMANDS.find((c) => c.key?.(e) === true && applies(c, env));
}
