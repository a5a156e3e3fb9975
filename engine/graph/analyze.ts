/**
 * Static analysis of a document: the shape on every edge (batch kept symbolic as 'N'), parameter counts,
 * and every error a user can act on, attached to the node or edge at fault.
 */
import { blockDefinition, type Edge, type GraphNode, type ModelDocument, type ModelNode } from './format';
import { isBlock, isGraph, isLayer, isSequential, isShared, matchNode, subtree, walkNodes } from './nodes';
import { checkArgs, closestOps, layerSpec, resolvedArgs, type Shape } from './catalogue';
import { placeNodes } from './scopes';
import { graphAttributeProblem, isIdentifier, sequentialKeyProblem } from './layer_names';
import { modelSizeWarning, onnxSizeProblem, tensorSizeProblem, type SizeOptions } from './analyze_size';
import { quoted, shown, singleQuoted } from '../quote';
import { MAX_NESTING } from './validate_depth';

export interface Diagnostic {
  /** The node or edge at fault ('' for the document as a whole). */
  id: string;
  message: string;
  severity: 'error' | 'warning';
}

/**
 * The maps below are keyed by node and edge ids, which users write: they have no prototype, so an id
 * such as "constructor" reads as absent rather than as Object.prototype's function, and "__proto__" is
 * an ordinary key.
 */
export interface Analysis {
  /** Output shape of every node that could be computed. */
  nodeShapes: Record<string, Shape>;
  /** Shape flowing along every edge: Graph edges by id, Sequential links as `${from}->${to}`, inputs as `input->${id}`. */
  edgeShapes: Record<string, Shape>;
  /** Parameters each node owns (a Shared node owns none; containers count their contents once). */
  params: Record<string, number>;
  /** Distinct trainable values in the whole model. */
  totalParams: number;
  outputShape: Shape | null;
  diagnostics: Diagnostic[];
}

export { isIdentifier } from './layer_names';
const fmt = (s: Shape) => `[${s.join(', ')}]`;

/** Every node of the document (model and block bodies), by id. */
export function indexNodes(doc: ModelDocument): Map<string, ModelNode> {
  const out = new Map<string, ModelNode>();
  walkNodes(doc, ({ node }) => void out.set(node.id, node));
  return out;
}

export function nodeLabel(n: ModelNode): string {
  const op = shown(n.op);
  return n.name ? `${op} ${singleQuoted(n.name)}` : `${op} ${shown(n.id)}`;
}

export type AnalysisOptions = SizeOptions;

const table = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;

export function analyzeDocument(doc: ModelDocument, options: AnalysisOptions = {}): Analysis {
  const a: Analysis = { nodeShapes: table(), edgeShapes: table(), params: table(), totalParams: 0, outputShape: null, diagnostics: [] };
  const seen = new Set<string>();
  const report = (id: string, message: string, severity: Diagnostic['severity'] = 'error') => {
    const key = `${id}\u0000${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    a.diagnostics.push({ id, message, severity });
  };
  const { nodes, blocksTooDeep } = checkStructure(doc, report);
  // Shapes and counts recurse through block instances: not through a chain the structure refused.
  if (blocksTooDeep) return a;

  // Shapes. `quiet` re-analyses a shared node's target at its second place without repeating its errors.
  const blockStack: string[] = [];
  // Nodes being inferred right now: a Shared node pointing at one of them (its own container) is an
  // error reported by checkStructure, and must not recurse forever here.
  const active = new Set<string>();
  const infer = (n: ModelNode, input: Shape, quiet: boolean): Shape | null => {
    if (active.has(n.id)) return null;
    active.add(n.id);
    let out = inferNode(n, input, quiet);
    active.delete(n.id);
    // A shape no tensor can hold stops here, at the layer that makes it (a forward pass would throw
    // "Invalid typed array length" with no layer named).
    const tooBig = out === null ? null : tensorSizeProblem(`${nodeLabel(n)}: its output per sample`, out.slice(1));
    if (tooBig !== null) {
      if (!quiet) report(n.id, tooBig);
      out = null;
    }
    if (out !== null && !quiet) a.nodeShapes[n.id] = out;
    return out;
  };
  const inferNode = (n: ModelNode, input: Shape, quiet: boolean): Shape | null => {
    const say = (msg: string) => {
      if (!quiet) report(n.id, msg);
    };
    return matchNode<Shape | null>(n, {
      sequential(s) {
        let x: Shape | null = input;
        let prev: string | null = null;
        for (const c of s.children) {
          if (x === null) return null;
          if (!quiet) a.edgeShapes[prev === null ? `input->${c.id}` : `${prev}->${c.id}`] = x;
          x = infer(c, x, quiet);
          prev = c.id;
        }
        return x;
      },
      graph: (g) => inferGraph(g, [input], quiet),
      block(b) {
        const def = blockDefinition(doc, b.block);
        if (def === undefined || blockStack.includes(b.block)) return null;
        blockStack.push(b.block);
        const out = infer(def.body, input, quiet);
        blockStack.pop();
        if (out === null) say(`block ${singleQuoted(b.block)} cannot take input ${fmt(input)} (see the errors inside the block)`);
        return out;
      },
      shared(sh) {
        const target = nodes.get(sh.ref);
        if (target === undefined || isShared(target)) return null;
        const out = infer(target, input, true);
        if (out === null) say(`the shared layer ${nodeLabel(target)} does not fit here: ${sharedReason(target, input)}`);
        // The same layer on this input may have no ONNX form even where the original has one.
        const spec = isLayer(target) ? layerSpec(target.op) : undefined;
        const noOnnx =
          out !== null && spec !== undefined && !spec.merge && isLayer(target)
            ? (spec.onnxProblem?.(resolvedArgs(spec, target.args), input) ?? null)
            : null;
        if (noOnnx !== null && !quiet) report(sh.id, `the shared layer ${nodeLabel(target)} cannot be exported to ONNX here: ${noOnnx}`, 'warning');
        return out;
      },
      layer(l) {
        const spec = layerSpec(l.op);
        if (spec === undefined || spec.merge) return null;
        if (checkArgs(spec, l.args).length > 0) return null;
        const args = resolvedArgs(spec, l.args);
        const r = spec.shape([input], args);
        if (typeof r === 'string') {
          say(`${nodeLabel(l)} ${r}`);
          return null;
        }
        // Fine for the engine and PyTorch; the ONNX export will refuse it, so say so now.
        const noOnnx = spec.onnxProblem?.(args, input) ?? null;
        if (noOnnx !== null && !quiet) report(l.id, `${nodeLabel(l)} cannot be exported to ONNX: ${noOnnx}`, 'warning');
        return r;
      },
    });
  };
  /** The layer's own shape message (as for a mismatch anywhere else), or what is known for a container. */
  const sharedReason = (target: ModelNode, input: Shape): string => {
    const spec = isLayer(target) ? layerSpec(target.op) : undefined;
    const r = spec === undefined || !isLayer(target) ? null : spec.shape([input], resolvedArgs(spec, target.args));
    return typeof r === 'string' ? `${nodeLabel(target)} ${r}` : `it cannot take input ${fmt(input)}`;
  };

  const inferGraph = (g: GraphNode, inputs: Shape[], quiet: boolean): Shape | null => {
    const values = new Map<string, Shape | null>();
    g.inputs.forEach((name, i) => values.set(name, inputs[Math.min(i, inputs.length - 1)] ?? null));
    const incoming = new Map<string, Edge[]>();
    for (const e of g.edges) {
      const list = incoming.get(e.to) ?? [];
      list.push(e);
      incoming.set(e.to, list);
    }
    const order = topologicalOrder(g, (id, msg) => (quiet ? undefined : report(id, msg)));
    if (order === null) return null;
    for (const n of order) {
      const ins = (incoming.get(n.id) ?? []).slice().sort((x, y) => (x.port ?? 0) - (y.port ?? 0));
      const shapes = ins.map((e) => values.get(e.from) ?? null);
      ins.forEach((e, i) => {
        const s = shapes[i];
        if (s && !quiet) a.edgeShapes[e.id] = s;
      });
      if (shapes.length === 0 || shapes.some((s) => s === null)) {
        values.set(n.id, null);
        continue;
      }
      const spec = isLayer(n) ? layerSpec(n.op) : undefined;
      if (spec?.merge && isLayer(n)) {
        if (checkArgs(spec, n.args).length > 0) {
          values.set(n.id, null);
          continue;
        }
        const r = spec.shape(shapes as Shape[], resolvedArgs(spec, n.args));
        if (typeof r === 'string') {
          if (!quiet) report(n.id, r);
          values.set(n.id, null);
        } else {
          values.set(n.id, r);
          if (!quiet) a.nodeShapes[n.id] = r;
        }
        continue;
      }
      if (shapes.length > 1) {
        if (!quiet) report(n.id, `${nodeLabel(n)} takes one input but ${shapes.length} edges lead into it (merge them with add, mul, sub or concat)`);
        values.set(n.id, null);
        continue;
      }
      values.set(n.id, infer(n, shapes[0] as Shape, quiet));
    }
    const outs = g.outputs.map((o) => values.get(o) ?? null);
    return outs.length === 1 ? outs[0] : null;
  };

  const inputTooBig = tensorSizeProblem('the model input, per sample,', doc.input.shape);
  if (inputTooBig !== null) report(doc.model.id, inputTooBig);
  else a.outputShape = infer(doc.model, ['N', ...doc.input.shape], false);
  countParams(doc, a, report);
  const big = modelSizeWarning(a.totalParams, options);
  if (big !== null) report(doc.model.id, big, 'warning');
  const noOnnx = onnxSizeProblem(a.totalParams);
  if (noOnnx !== null) report(doc.model.id, `the model ${noOnnx}`, 'warning');
  return a;
}

/** Structural checks that need no shapes: ids, names, references, arguments, blocks. Returns the node index. */
function checkStructure(
  doc: ModelDocument,
  report: (id: string, msg: string, severity?: Diagnostic['severity']) => void,
): { nodes: Map<string, ModelNode>; blocksTooDeep: boolean } {
  const nodes = new Map<string, ModelNode>();
  // Edge ids share one namespace with node ids: a diagnostic names one of them, and the editor's badge
  // and the Problems line must find the right one.
  const edgeIds = new Set<string>();
  // `inGraph`: n is a node of a Graph, the only place where a merge has several tensors to merge.
  const visit = (n: ModelNode, inGraph: boolean) => {
    if (nodes.has(n.id)) report(n.id, `the id ${quoted(n.id)} is used by more than one node`);
    nodes.set(n.id, n);
    if (isSequential(n)) {
      const s = n;
      const keys = new Map<string, string>();
      s.children.forEach((c, i) => {
        const key = c.name ?? String(i);
        const problem = c.name === undefined ? null : sequentialKeyProblem(c.name);
        if (problem !== null) report(c.id, problem);
        if (keys.has(key)) report(c.id, `two children of ${nodeLabel(s)} are both named ${quoted(key)}`);
        keys.set(key, c.id);
        visit(c, false);
      });
    } else if (isGraph(n)) {
      const g = n;
      const keys = new Set<string>();
      const inputNames = new Set<string>();
      for (const inp of g.inputs) {
        if (!isIdentifier(inp)) report(g.id, `the input name ${quoted(inp)} is not a valid identifier`);
        // forward(self, x, x) is a SyntaxError in Python, and ONNX refuses two graph inputs of one name.
        else if (inputNames.has(inp)) report(g.id, `the input name ${quoted(inp)} is declared twice: every input of a Graph needs its own name`);
        inputNames.add(inp);
      }
      // A Graph inside a Sequential, a Graph or a block is called with the one tensor that flows into it.
      if (g !== doc.model && g.inputs.length !== 1) {
        report(
          g.id,
          `${nodeLabel(g)} declares ${g.inputs.length} inputs (${listed(g.inputs)}) but is called with one tensor: only the model's own Graph can take several inputs`,
        );
      }
      for (const c of g.nodes) {
        const spec = layerSpec(c.op);
        if (spec?.merge) {
          if (c.name !== undefined) report(c.id, `a ${c.op} merge has no weights and takes no name`, 'warning');
        } else {
          const key = c.name ?? c.id;
          const problem = graphAttributeProblem(key);
          if (problem !== null) report(c.id, problem);
          if (keys.has(key)) report(c.id, `two layers of ${nodeLabel(g)} are both named ${quoted(key)}`);
          keys.add(key);
        }
        if (inputNames.has(c.id)) report(c.id, `the node id ${quoted(c.id)} is also an input name of its Graph`);
        visit(c, true);
      }
      const ids = new Set([...g.nodes.map((c) => c.id), ...g.inputs]);
      for (const e of g.edges) {
        if (edgeIds.has(e.id)) report(e.id, `the edge id ${quoted(e.id)} is used twice`);
        edgeIds.add(e.id);
        if (!ids.has(e.from))
          report(
            e.id,
            `edge ${shown(e.id)} starts at ${quoted(e.from)}, which is neither a node of this Graph nor one of its inputs (${listed(g.inputs)})`,
          );
        if (!g.nodes.some((c) => c.id === e.to)) report(e.id, `edge ${shown(e.id)} ends at ${quoted(e.to)}, which is not a node of this Graph`);
      }
      for (const o of g.outputs) if (!ids.has(o)) report(g.id, `output ${quoted(o)} is neither a node of this Graph nor an input`);
      if (g.outputs.length !== 1) report(g.id, `a Graph returns one tensor: it has ${g.outputs.length} outputs (${listed(g.outputs)})`);
      for (const c of g.nodes) {
        const fed = g.edges.some((e) => e.to === c.id);
        if (!fed) report(c.id, `${nodeLabel(c)} has no input: connect something to it`);
        const used = g.edges.some((e) => e.from === c.id) || g.outputs.includes(c.id);
        if (!used) report(c.id, `${nodeLabel(c)} is not used: its output goes nowhere`, 'warning');
        const spec = layerSpec(c.op);
        const count = g.edges.filter((e) => e.to === c.id).length;
        if (spec?.merge && count === 1) report(c.id, `${c.op} needs at least two inputs, it has one`);
      }
    } else if (isBlock(n)) {
      if (blockDefinition(doc, n.block) === undefined) {
        const names = Object.keys(doc.blocks ?? {});
        report(n.id, `there is no block named ${quoted(n.block)}${names.length ? ` (blocks: ${listed(names)})` : ''}`);
      }
    } else if (isLayer(n)) {
      const spec = layerSpec(n.op);
      if (spec === undefined) report(n.id, `unknown layer type ${quoted(n.op)} (${closestOps(n.op)})`);
      else for (const p of checkArgs(spec, n.args)) report(n.id, p);
      // A merge combines the tensors of several edges; a Sequential (or a block body, or the model
      // itself) hands a node one tensor, so code generation and export would have nothing to merge.
      if (spec?.merge && !inGraph)
        report(
          n.id,
          `${shown(n.op)} is a merge of several tensors: it works only as a node of a Graph, fed by two or more edges (use a Graph here, or remove it)`,
        );
      const argsOk = spec !== undefined && checkArgs(spec, n.args).length === 0;
      const shapes = new Map(spec && argsOk ? spec.params(resolvedArgs(spec, n.args)) : []);
      const params = [...shapes.keys()];
      for (const [k, init] of Object.entries(n.init ?? {})) {
        if (!shapes.has(k)) {
          if (argsOk) report(n.id, `init for ${quoted(k)}, but ${n.op} has ${params.length ? `only ${params.join(', ')}` : 'no parameters'}`);
          continue;
        }
        // Xavier and Kaiming scale by fan in and fan out, which a 1-D parameter (a bias) does not have.
        const shape = shapes.get(k) as number[];
        if (/^(xavier|kaiming)/.test(init.kind) && shape.length < 2) {
          report(
            n.id,
            `${init.kind} init needs a parameter with at least 2 dimensions, but "${k}" has shape [${shape.join(', ')}] (use zeros, constant, normal or uniform)`,
          );
        }
      }
    }
  };
  visit(doc.model, false);
  for (const [name, def] of Object.entries(doc.blocks ?? {})) {
    if (!isIdentifier(name)) report(def.body.id, `block name ${quoted(name)} is not a valid identifier`);
    visit(def.body, false);
  }
  for (const id of edgeIds) {
    const node = nodes.get(id);
    if (node !== undefined) report(id, `the edge id ${quoted(id)} is also the id of ${nodeLabel(node)}: every id in the document must be unique`);
  }
  // Shared references: to an existing node that owns weights, not to another Shared node, in the same scope.
  const places = placeNodes(doc);
  const scopeLabel = (scope: string) =>
    scope === '' ? 'the model' : scope.startsWith('block:') ? `block ${singleQuoted(scope.slice(6))}` : `Graph ${shown(scope)}`;
  for (const n of nodes.values()) {
    if (!isShared(n)) continue;
    const ref = n.ref;
    const target = nodes.get(ref);
    if (target === undefined) report(n.id, `shares weights with ${quoted(ref)}, which does not exist`);
    else if (isShared(target))
      report(n.id, `shares weights with ${shown(target.id)}, which is itself a shared node: point at the original layer ${shown(target.ref)}`);
    else if (isLayer(target) && layerSpec(target.op)?.merge) report(n.id, `cannot share a ${target.op} merge: it has no layer instance`);
    else {
      const here = places.get(n.id);
      const there = places.get(ref);
      if (here && there && here.ancestors.includes(ref))
        report(n.id, `cannot share ${nodeLabel(target)}: it contains this node (a layer cannot run inside itself)`);
      else if (here && there && here.scope !== there.scope) {
        report(
          n.id,
          `shares weights with ${nodeLabel(target)}, which is in ${scopeLabel(there.scope)} while this node is in ${scopeLabel(here.scope)}: a shared layer must be in the same block or Graph as its original`,
        );
      }
    }
  }
  // Block instances inside block instances: each level is a call in every target, and the analysis and
  // buildModel recurse through them, so the chain is bounded like the nesting of containers.
  const depths = blockDepths(doc);
  let deepest: string | null = null;
  for (const [name, d] of depths) if (d > MAX_NESTING && (deepest === null || d > (depths.get(deepest) as number))) deepest = name;
  if (deepest !== null) {
    const body = (blockDefinition(doc, deepest) as { body: ModelNode }).body;
    report(
      body.id,
      `block ${singleQuoted(deepest)} starts a chain of ${depths.get(deepest)} blocks, each using the next: at most ${MAX_NESTING} may nest (generated code and the editor recurse through them); flatten part of the chain`,
    );
    return { nodes, blocksTooDeep: true };
  }
  // Blocks must not contain themselves, directly or through other blocks. `clear`: blocks from which no
  // cycle is reachable, so a long chain is walked once, not once per block.
  const clear = new Set<string>();
  const cycleFrom = (name: string, path: string[]): string[] | null => {
    const def = blockDefinition(doc, name);
    if (def === undefined || clear.has(name)) return null;
    for (const inner of blockRefs(def.body)) {
      if (path.includes(inner)) return [...path, inner];
      const c = cycleFrom(inner, [...path, inner]);
      if (c) return c;
    }
    clear.add(name);
    return null;
  };
  for (const [name, def] of Object.entries(doc.blocks ?? {})) {
    const c = cycleFrom(name, [name]);
    if (c) report(def.body.id, `block ${singleQuoted(name)} contains itself (${c.map(shown).join(' → ')})`);
  }
  return { nodes, blocksTooDeep: false };
}

function blockRefs(root: ModelNode): string[] {
  return subtree(root).flatMap((n) => (isBlock(n) ? [n.block] : []));
}

/**
 * For each block, the longest chain of block instances starting at it (1: it uses no block), by an
 * iterative depth-first walk (a chain of thousands of blocks must not overflow the stack); an edge back
 * into the walk (a cycle, reported apart) counts nothing.
 */
function blockDepths(doc: ModelDocument): Map<string, number> {
  const refs = new Map<string, string[]>();
  for (const [name, def] of Object.entries(doc.blocks ?? {}))
    refs.set(
      name,
      [...new Set(blockRefs(def.body))].filter((r) => blockDefinition(doc, r) !== undefined),
    );
  const depth = new Map<string, number>();
  const entered = new Set<string>();
  for (const start of refs.keys()) {
    if (entered.has(start)) continue;
    entered.add(start);
    const stack = [{ name: start, next: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const rs = refs.get(top.name) as string[];
      if (top.next < rs.length) {
        const r = rs[top.next++];
        if (!entered.has(r)) {
          entered.add(r);
          stack.push({ name: r, next: 0 });
        }
        continue;
      }
      depth.set(top.name, 1 + Math.max(0, ...rs.map((r) => depth.get(r) ?? 0)));
      stack.pop();
    }
  }
  return depth;
}

/** Nodes of a Graph in an order where every node comes after its inputs; reports a cycle on its edges. */
export function topologicalOrder(g: GraphNode, report: (id: string, msg: string) => void): ModelNode[] | null {
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const indeg = new Map(g.nodes.map((n) => [n.id, 0]));
  for (const e of g.edges) if (byId.has(e.to) && byId.has(e.from)) indeg.set(e.to, (indeg.get(e.to) ?? 0) + 1);
  const ready = g.nodes.filter((n) => indeg.get(n.id) === 0).map((n) => n.id);
  const order: ModelNode[] = [];
  while (ready.length > 0) {
    const id = ready.shift() as string;
    const node = byId.get(id);
    if (node !== undefined) order.push(node);
    for (const e of g.edges) {
      if (e.from !== id || !byId.has(e.to)) continue;
      const d = (indeg.get(e.to) ?? 0) - 1;
      indeg.set(e.to, d);
      if (d === 0) ready.push(e.to);
    }
  }
  if (order.length < g.nodes.length) {
    const stuck = new Set(g.nodes.filter((n) => !order.includes(n)).map((n) => n.id));
    for (const e of g.edges)
      if (stuck.has(e.from) && stuck.has(e.to)) report(e.id, `edge ${shown(e.from)} → ${shown(e.to)} is part of a cycle: a Graph must flow one way`);
    return null;
  }
  return order;
}

/** The order of a Graph the analysis accepted (builders and generators run after it): a cycle here is a bug. */
export function graphOrder(g: GraphNode): ModelNode[] {
  const order = topologicalOrder(g, () => {});
  if (order === null) throw new Error(`Graph ${shown(g.id)} has a cycle on its edges (the analysis reports it)`);
  return order;
}

function countParams(doc: ModelDocument, a: Analysis, report: (id: string, msg: string) => void): void {
  const own = (n: ModelNode, stack: string[]): number => {
    const sum = (cs: ModelNode[]) => cs.reduce((s, c) => s + own(c, stack), 0);
    const total = matchNode(n, {
      sequential: (s) => sum(s.children),
      graph: (g) => sum(g.nodes),
      block(b) {
        const def = blockDefinition(doc, b.block);
        return def && !stack.includes(b.block) ? own(def.body, [...stack, b.block]) : 0;
      },
      shared: () => 0,
      layer(l) {
        const spec = layerSpec(l.op);
        if (spec === undefined || checkArgs(spec, l.args).length > 0) return 0;
        const shapes = spec.params(resolvedArgs(spec, l.args));
        for (const [name, shape] of shapes) {
          const p = tensorSizeProblem(`${nodeLabel(l)}: its ${name}`, shape);
          if (p !== null) report(l.id, p);
        }
        return shapes.reduce((s, [, shape]) => s + shape.reduce((p, d) => p * d, 1), 0);
      },
    });
    a.params[n.id] = total;
    return total;
  };
  a.totalParams = own(doc.model, []);
  for (const [, def] of Object.entries(doc.blocks ?? {})) if (!(def.body.id in a.params)) own(def.body, []);
}

/** A list of user-given names for a message: each quoted short, at most ten, then how many more. */
function listed(names: readonly string[]): string {
  const head = names.slice(0, 10).map(shown).join(', ');
  return names.length > 10 ? `${head} and ${names.length - 10} more` : head;
}
