/**
 * buildModel: a document becomes an engine nn.Module whose structure, and so whose state-dict keys, are
 * exactly those of the generated TypeScript and PyTorch code: Sequential children under their names or
 * positions, Graph layers as attributes, Block instances each with their own weights, Shared nodes as the
 * very same module object (tied weights).
 */
// Direct imports, not '../index': that one re-exports io and data (node:fs), which the webview cannot bundle.
import * as nn from '../nn';
import * as initFns from '../nn/init';
import { cat } from '../ops';
import { isGradEnabled } from '../autograd';
import { releaseForward } from '../buffer_pool';
import { keepsNoValues, registerEngineForwards } from '../nn/engine_forwards';
import type { Tensor } from '../tensor';
import { blockDefinition, type GraphNode, type InitSpec, type LayerNode, type ModelDocument, type ModelNode } from './format';
import { isLayer, matchNode, walkNodes } from './nodes';
import { layerSpec, resolvedArgs, type ArgValue, type MergeSpec } from './catalogue';
import { constructorArgs } from './layers/define';
import { analyzeDocument, graphOrder } from './analyze';

export class ModelBuildError extends Error {}

/** One node of a Graph's forward: a layer called through its attribute, or a merge of several values. */
type GraphStep = { id: string; inputs: string[] } & (
  { kind: 'layer'; key: string } | { kind: 'merge'; spec: MergeSpec; args: Record<string, ArgValue> }
);

/** A Module whose forward runs a Graph node: the engine-side twin of a generated `forward`. */
export class GraphModule extends nn.Module {
  // Plain fields, not #private ones: a Module is a Proxy, and private fields do not work through proxies.
  private graphPlan: GraphStep[] = [];
  private graphInputs: string[] = [];
  private graphOutput = '';

  /** Sets what forward runs: the Graph's inputs, its steps in topological order, and the returned value. */
  configure(inputs: string[], plan: GraphStep[], output: string): void {
    this.graphInputs = inputs;
    this.graphPlan = plan;
    this.graphOutput = output;
  }

  override forward(...xs: Tensor[]): Tensor {
    if (xs.length !== this.graphInputs.length) {
      throw new Error(
        `${this.constructor.name}.forward expects ${this.graphInputs.length} input(s) (${this.graphInputs.join(', ')}), got ${xs.length}`,
      );
    }
    const values = new Map<string, Tensor>();
    this.graphInputs.forEach((name, i) => values.set(name, xs[i]));
    const self = this as unknown as Record<string, nn.Module>;
    // Without autograd a value's readers are the steps that name it: recycle it after the last (buffer_pool.ts),
    // when every layer is the engine's own and so keeps nothing it saw (engine_forwards.ts).
    const recycles = !isGradEnabled() && this.children().every(keepsNoValues);
    const readers = recycles ? readerCounts(this.graphPlan, this.graphInputs, this.graphOutput) : null;
    for (const step of this.graphPlan) {
      const ins = step.inputs.map((id) => values.get(id) as Tensor);
      values.set(step.id, step.kind === 'merge' ? step.spec.apply(ins, step.args, { cat }) : self[step.key].forward(ins[0]));
      if (readers !== null) releaseRead(step, values, readers);
    }
    return values.get(this.graphOutput) as Tensor;
  }
}

registerEngineForwards(GraphModule);

/** How many steps read each value; the output and the inputs count one more, so they are never released. */
function readerCounts(plan: GraphStep[], inputs: string[], output: string): Map<string, number> {
  const counts = new Map<string, number>();
  const read = (id: string) => counts.set(id, (counts.get(id) ?? 0) + 1);
  for (const step of plan) step.inputs.forEach(read);
  read(output);
  inputs.forEach(read);
  return counts;
}

/** After `step`, hands back the values it was the last reader of (buffer_pool.ts's releaseForward). */
function releaseRead(step: GraphStep, values: Map<string, Tensor>, readers: Map<string, number>): void {
  for (const id of new Set(step.inputs)) {
    const left = (readers.get(id) ?? 0) - step.inputs.filter((i) => i === id).length;
    readers.set(id, left);
    if (left > 0) continue;
    const dead = values.get(id) as Tensor;
    values.delete(id);
    releaseForward(
      dead.data,
      [...values.values()].map((t) => t.data),
    );
  }
}

export function buildModel(doc: ModelDocument): nn.Module {
  const errors = analyzeDocument(doc).diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    throw new ModelBuildError(`model '${doc.name}' has errors:\n${errors.map((e) => `  ${e.id ? `${e.id}: ` : ''}${e.message}`).join('\n')}`);
  }
  const index = new Map<string, ModelNode>();
  walkNodes(doc, ({ node }) => void index.set(node.id, node));

  // One scope per block instance, so each instance's layers (and the Shared nodes inside it) are its own.
  type Scope = { built: Map<string, nn.Module>; parent: Scope | null };
  const lookup = (scope: Scope | null, id: string): nn.Module | undefined => {
    for (let s = scope; s !== null; s = s.parent) {
      const m = s.built.get(id);
      if (m !== undefined) return m;
    }
    return undefined;
  };

  const build = (n: ModelNode, scope: Scope, className?: string): nn.Module => {
    const existing = scope.built.get(n.id);
    if (existing !== undefined) return existing;
    const m = matchNode<nn.Module>(n, {
      sequential(s) {
        const seq = new nn.Sequential();
        s.children.forEach((c, i) => seq.addModule(c.name ?? String(i), build(c, scope)));
        return seq;
      },
      graph: (g) => buildGraph(g, scope, g.className ?? className ?? 'Net'),
      block(b) {
        const def = blockDefinition(doc, b.block);
        if (def === undefined) throw new ModelBuildError(`there is no block named "${b.block}"`);
        return build(def.body, { built: new Map(), parent: scope }, pascalCase(b.block));
      },
      shared(sh) {
        const original = lookup(scope, sh.ref);
        if (original !== undefined) return original;
        const target = index.get(sh.ref);
        if (target === undefined) throw new ModelBuildError(`${sh.id} shares weights with "${sh.ref}", which does not exist`);
        return build(target, scope);
      },
      layer: buildLayer,
    });
    scope.built.set(n.id, m);
    return m;
  };

  const buildGraph = (g: GraphNode, scope: Scope, className: string): nn.Module => {
    const Named = { [className]: class extends GraphModule {} }[className];
    const mod = new Named();
    // Layers are attributes in document order, as the generated __init__ assigns them (the state-dict
    // order); the forward runs them in topological order.
    for (const c of g.nodes) if (!layerSpec(c.op)?.merge) mod.addModule(c.name ?? c.id, build(c, scope));
    const plan = graphOrder(g).map((c): GraphStep => {
      const spec = layerSpec(c.op);
      const inputs = g.edges
        .filter((e) => e.to === c.id)
        .sort((x, y) => (x.port ?? 0) - (y.port ?? 0))
        .map((e) => e.from);
      if (spec?.merge && isLayer(c)) return { id: c.id, kind: 'merge', spec, args: resolvedArgs(spec, c.args), inputs };
      return { id: c.id, kind: 'layer', key: c.name ?? c.id, inputs };
    });
    mod.configure(g.inputs, plan, g.outputs[0]);
    return mod;
  };

  return build(doc.model, { built: new Map(), parent: null }, pascalCase(doc.name));
}

/** The class name generated code uses for a Graph without an explicit className: two_branch → TwoBranch. */
export function pascalCase(s: string): string {
  return s
    .split(/[_\s]+/)
    .filter((p) => p !== '')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

/** The engine's module classes by name, for the catalogue's `engineClass`. */
const ENGINE_CLASSES: Record<string, unknown> = nn;

/**
 * A catalogue layer as an engine module, with the node's init applied to its parameters. The module is
 * constructed exactly as the generated TypeScript constructs it (the catalogue's positional args, then
 * its options object), so the two cannot disagree.
 */
export function buildLayer(n: LayerNode): nn.Module {
  const spec = layerSpec(n.op);
  if (spec === undefined) throw new ModelBuildError(`unknown layer type "${n.op}"`);
  if (spec.merge) throw new ModelBuildError(`${n.op} is a merge, not a layer`);
  const Cls = ENGINE_CLASSES[spec.engineClass];
  if (typeof Cls !== 'function') throw new ModelBuildError(`${n.id}: this engine has no nn.${spec.engineClass} for the ${n.op} layer`);
  const { positional, options } = constructorArgs(spec, resolvedArgs(spec, n.args), false);
  const values: unknown[] = positional.map((p) => p.value);
  if (options.length > 0) values.push(Object.fromEntries(options.map((o) => [o.spec.name, o.value])));
  const m: unknown = Reflect.construct(Cls, values);
  if (!(m instanceof nn.Module)) throw new ModelBuildError(`${n.id}: nn.${spec.engineClass} is not a Module`);
  const own = new Map(m.namedParameters());
  for (const [param, init] of Object.entries(n.init ?? {})) {
    const t = own.get(param);
    if (t) applyInit(t, init);
  }
  return m;
}

export function applyInit(t: Tensor, spec: InitSpec): void {
  switch (spec.kind) {
    case 'default':
      return;
    case 'zeros':
      initFns.zeros_(t);
      return;
    case 'ones':
      initFns.ones_(t);
      return;
    case 'constant':
      initFns.constant_(t, spec.value);
      return;
    case 'normal':
      initFns.normal_(t, spec.mean, spec.std);
      return;
    case 'uniform':
      initFns.uniform_(t, spec.low, spec.high);
      return;
    case 'xavierUniform':
      initFns.xavierUniform_(t, spec.gain ?? 1);
      return;
    case 'xavierNormal':
      initFns.xavierNormal_(t, spec.gain ?? 1);
      return;
    case 'kaimingUniform':
      initFns.kaimingUniform_(t, { nonlinearity: spec.nonlinearity ?? 'leaky_relu' });
      return;
    case 'kaimingNormal':
      initFns.kaimingNormal_(t, { nonlinearity: spec.nonlinearity ?? 'leaky_relu' });
      return;
  }
}
