/**
 * Lowers a (valid) document to a small language-neutral program: block helper functions, Graph classes,
 * and the model factory. The TypeScript and PyTorch printers only spell this program out, so both
 * languages get the same structure, the same attribute names and so the same state-dict keys as
 * buildModel (which follows the same rules: Sequential children by name or position, Graph layers as
 * attributes named `name ?? id`, one instance per Block, Shared = the same instance).
 */
import { blockDefinition, type BlockDefinition, type GraphNode, type InitSpec, type ModelDocument, type ModelNode } from '../format';
import { isGraph, isLayer, isShared, matchNode } from '../nodes';
import { layerSpec, resolvedArgs, type ArgValue, type CatalogueEntry, type LayerSpec, type MergeSpec } from '../catalogue';
import { graphOrder } from '../analyze';
import { placeNodes, type NodePlace } from '../scopes';

export type Expr =
  | { kind: 'layer'; op: string; spec: LayerSpec; args: Record<string, ArgValue> }
  /** items with key null are positional ('0', '1', ...); any named child makes the whole chain named. */
  | { kind: 'sequential'; items: { key: string; expr: Expr }[]; named: boolean }
  | { kind: 'local'; name: string }
  | { kind: 'callBlock'; fn: string }
  | { kind: 'newClass'; cls: string };

export interface Local {
  name: string;
  expr: Expr;
  init: { param: string; spec: InitSpec }[];
}

/** The statements of a scope: locals for layers that are shared or custom-initialised, then the value. */
export interface ScopeCode {
  locals: Local[];
}

/** One statement of a forward: the result variable and a layer attribute called, or a merge of values (in port order). */
export type ForwardStep = { out: string; args: string[] } & (
  { kind: 'call'; attr: string } | { kind: 'merge'; spec: MergeSpec; mergeArgs: Record<string, ArgValue> }
);

export interface ClassUnit extends ScopeCode {
  kind: 'class';
  name: string;
  attrs: { key: string; expr: Expr; type: string }[];
  inputs: string[];
  steps: ForwardStep[];
  output: string;
}

export interface FunctionUnit extends ScopeCode {
  kind: 'function';
  name: string;
  expr: Expr;
  type: string;
}

export interface Program {
  /** Blocks and Graph classes, each after what it uses. */
  units: (ClassUnit | FunctionUnit)[];
  /** The model: a factory function (Sequential roots) or the root class. */
  entry: FunctionUnit | ClassUnit;
  /** Catalogue entries used (for the helpers and imports they need). */
  used: Set<CatalogueEntry>;
  hasInit: boolean;
}

const RESERVED = new Set(
  (
    'abstract and as assert async await break case catch class const continue debugger def default del delete do elif else enum ' +
    'except export extends false finally for from function global if implements import in instanceof interface is lambda let ' +
    'new nonlocal none not null or package pass private protected public raise return static super switch this throw true try ' +
    'type typeof var void while with yield self nn torch init cat tensor Tensor Module OrderedDict F math np'
  ).split(' '),
);

/** A valid, non-reserved identifier from any id or name. */
export function identifier(raw: string, fallback = 'x'): string {
  let s = raw.replace(/[^A-Za-z0-9_]/g, '_');
  if (s === '' || /^[0-9]/.test(s)) s = `${fallback}_${s}`;
  if (RESERVED.has(s) || RESERVED.has(s.toLowerCase())) s = `${s}_`;
  return s;
}

export function upperFirst(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

class Names {
  private used = new Set<string>();
  constructor(taken: Iterable<string> = []) {
    for (const t of taken) this.used.add(t);
  }
  take(wanted: string): string {
    let s = wanted;
    for (let i = 2; this.used.has(s); i++) s = `${wanted}_${i}`;
    this.used.add(s);
    return s;
  }
}

/** The TypeScript type of the module an expression builds (the printers share it). */
function typeOf(e: Expr, units: Map<string, ClassUnit | FunctionUnit>, locals: Map<string, Local>): string {
  switch (e.kind) {
    case 'layer':
      return `nn.${e.spec.engineClass}`;
    case 'sequential':
      return 'nn.Sequential';
    case 'newClass':
      return e.cls;
    case 'callBlock': {
      const u = units.get(e.fn);
      return u && u.kind === 'function' ? u.type : 'nn.Module';
    }
    case 'local': {
      const l = locals.get(e.name);
      return l ? typeOf(l.expr, units, locals) : 'nn.Module';
    }
  }
}

export function lowerDocument(doc: ModelDocument): Program {
  const places = placeNodes(doc);
  const used = new Set<CatalogueEntry>();
  let hasInit = false;
  const globalNames = new Names(['createModel', 'create_model', 'Step']);
  const unitsByName = new Map<string, ClassUnit | FunctionUnit>();
  const units: (ClassUnit | FunctionUnit)[] = [];

  // Which nodes must be held in a local: the targets of Shared nodes, and layers with a custom init.
  const hoisted = new Set<string>();
  for (const p of places.values()) {
    if (isShared(p.node)) hoisted.add(p.node.ref);
    const init = isLayer(p.node) ? p.node.init : undefined;
    if (init && Object.values(init).some((s) => s.kind !== 'default')) hoisted.add(p.node.id);
  }

  // Block names → generated symbol (function for chains and layers, class for Graph bodies).
  const blockSymbol = new Map<string, { name: string; isClass: boolean }>();
  for (const [name, def] of Object.entries(doc.blocks ?? {})) {
    const isClass = isGraph(def.body);
    const wanted = isGraph(def.body) ? identifier(def.body.className ?? upperFirst(name)) : identifier(name);
    blockSymbol.set(name, { name: globalNames.take(wanted), isClass });
  }
  const classNameOf = (g: GraphNode, fallback: string) => globalNames.take(identifier(g.className ?? upperFirst(fallback)));

  interface Scope {
    locals: Local[];
    localByNode: Map<string, string>;
    localByName: Map<string, Local>;
    names: Names;
  }
  const newScope = (taken: string[] = []): Scope => ({ locals: [], localByNode: new Map(), localByName: new Map(), names: new Names(taken) });

  const lowerNode = (n: ModelNode, scope: Scope): Expr => {
    if (isShared(n)) {
      const target = places.get(n.ref)?.node;
      if (target === undefined) throw new Error(`${n.id} shares weights with "${n.ref}", which does not exist`);
      return lowerNode(target, scope);
    }
    if (hoisted.has(n.id)) {
      const existing = scope.localByNode.get(n.id);
      if (existing !== undefined) return { kind: 'local', name: existing };
      const expr = lowerPlain(n, scope);
      const name = scope.names.take(identifier(n.name ?? n.id, 'layer'));
      const init = Object.entries((isLayer(n) ? n.init : undefined) ?? {})
        .filter(([, s]) => s.kind !== 'default')
        .map(([param, spec]) => ({ param, spec }));
      if (init.length > 0) hasInit = true;
      const local: Local = { name, expr, init };
      scope.locals.push(local);
      scope.localByNode.set(n.id, name);
      scope.localByName.set(name, local);
      return { kind: 'local', name };
    }
    return lowerPlain(n, scope);
  };

  const lowerPlain = (n: ModelNode, scope: Scope): Expr =>
    matchNode<Expr>(n, {
      sequential(s) {
        const named = s.children.some((c, i) => c.name !== undefined && c.name !== String(i));
        return { kind: 'sequential', named, items: s.children.map((c, i) => ({ key: c.name ?? String(i), expr: lowerNode(c, scope) })) };
      },
      graph(g) {
        const unit = lowerGraph(g, classNameOf(g, g.name ?? g.id));
        return { kind: 'newClass', cls: unit.name };
      },
      block(b) {
        const sym = blockSymbol.get(b.block);
        if (sym === undefined) throw new Error(`unknown block "${b.block}"`);
        ensureBlock(b.block);
        return sym.isClass ? { kind: 'newClass', cls: sym.name } : { kind: 'callBlock', fn: sym.name };
      },
      shared: (sh) => lowerNode(sh, scope),
      layer(l) {
        const spec = layerSpec(l.op);
        if (spec === undefined || spec.merge) throw new Error(`${l.op} cannot be lowered as a module`);
        used.add(spec);
        return { kind: 'layer', op: l.op, spec, args: resolvedArgs(spec, l.args) };
      },
    });

  const lowerGraph = (g: GraphNode, className: string): ClassUnit => {
    // Each input its own parameter name, even where two sanitise alike ('class' and 'class_').
    const vars = new Names();
    const inputVars = g.inputs.map((i) => vars.take(identifier(i)));
    const scope = newScope();
    const attrs: ClassUnit['attrs'] = [];
    const order = graphOrder(g);
    for (const c of g.nodes) {
      if (layerSpec(c.op)?.merge) continue;
      const expr = lowerNode(c, scope);
      attrs.push({ key: c.name ?? c.id, expr, type: '' });
    }
    const valueOf = new Map<string, string>(g.inputs.map((i, k) => [i, inputVars[k]]));
    const steps: ForwardStep[] = [];
    for (const c of order) {
      const args = g.edges
        .filter((e) => e.to === c.id)
        .sort((a, b) => (a.port ?? 0) - (b.port ?? 0))
        .map((e) => valueOf.get(e.from) as string);
      const out = vars.take(identifier(c.name ?? c.id, 'v'));
      valueOf.set(c.id, out);
      const spec = layerSpec(c.op);
      if (spec?.merge && isLayer(c)) {
        used.add(spec);
        steps.push({ out, kind: 'merge', spec, mergeArgs: resolvedArgs(spec, c.args), args });
      } else steps.push({ out, kind: 'call', attr: c.name ?? c.id, args });
    }
    const unit: ClassUnit = {
      kind: 'class',
      name: className,
      attrs,
      locals: scope.locals,
      inputs: inputVars,
      steps,
      output: valueOf.get(g.outputs[0]) as string,
    };
    for (const a of attrs) a.type = typeOf(a.expr, unitsByName, scope.localByName);
    units.push(unit);
    unitsByName.set(unit.name, unit);
    return unit;
  };

  const doneBlocks = new Set<string>();
  const ensureBlock = (name: string) => {
    if (doneBlocks.has(name)) return;
    doneBlocks.add(name);
    const def = blockDefinition(doc, name) as BlockDefinition;
    const sym = blockSymbol.get(name) as { name: string; isClass: boolean };
    if (isGraph(def.body)) {
      lowerGraph(def.body, sym.name);
      return;
    }
    const scope = newScope();
    const expr = lowerNode(def.body, scope);
    const unit: FunctionUnit = { kind: 'function', name: sym.name, locals: scope.locals, expr, type: '' };
    unit.type = typeOf(expr, unitsByName, scope.localByName);
    units.push(unit);
    unitsByName.set(unit.name, unit);
  };

  let entry: FunctionUnit | ClassUnit;
  if (isGraph(doc.model)) {
    const root = lowerGraph(doc.model, classNameOf(doc.model, doc.name));
    units.splice(units.indexOf(root), 1);
    entry = root;
  } else {
    const scope = newScope();
    const expr = lowerNode(doc.model, scope);
    entry = { kind: 'function', name: 'createModel', locals: scope.locals, expr, type: '' };
    entry.type = typeOf(expr, unitsByName, scope.localByName);
  }
  for (const name of Object.keys(doc.blocks ?? {})) ensureBlock(name);
  return { units, entry, used, hasInit };
}

export type { NodePlace };
