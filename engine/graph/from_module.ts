/**
 * A model built in code (`new nn.Sequential(new nn.Linear(2, 4), new nn.Tanh(), ...)`) as a document,
 * so that it can be exported like one: Sequentials keep their children's keys, a module instance used
 * twice becomes a Shared node (tied weights), and every catalogue layer keeps its arguments. A module
 * with a forward of its own is code, not a diagram: it is refused with the reason.
 */
import * as nn from '../nn';
import { moduleEntries } from '../nn/module';
import type { ArgValue, LayerNode, ModelDocument, ModelNode } from './format';
import { LAYERS, layerSpec } from './catalogue';
import { isIdentifier } from './layer_names';

export interface FromModuleOptions {
  /** The document's name (default: the root module's class name). */
  name?: string;
  /** Features of one sample; default: the first Linear's inFeatures when only shape-keeping layers precede it. */
  inputShape?: number[];
}

/** The engine's module classes by name, for the catalogue's `engineClass`. */
const ENGINE_CLASSES: Record<string, unknown> = nn;

/**
 * The catalogue layer a module is, with its arguments, or null for anything else. Its arguments are
 * the entry's `argsOf`, or by default the module's fields named as the arguments (LeakyReLU's
 * negativeSlope), as far as the module has them.
 */
function layerOf(m: nn.Module): Pick<LayerNode, 'op' | 'args'> | null {
  for (const spec of LAYERS) {
    if (spec.merge) continue;
    const Cls = ENGINE_CLASSES[spec.engineClass];
    // The exact class: a subclass has a forward of its own.
    if (typeof Cls !== 'function' || m.constructor !== Cls) continue;
    const args: Record<string, ArgValue> = {};
    if (spec.argsOf) Object.assign(args, spec.argsOf(m));
    else {
      for (const a of spec.args) {
        const v: unknown = Reflect.get(m, a.name);
        if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'number')))
          args[a.name] = v;
      }
    }
    return Object.keys(args).length > 0 ? { op: spec.op, args } : { op: spec.op };
  }
  return null;
}

const keepsShape = (op: string) => {
  const spec = layerSpec(op);
  return spec !== undefined && !spec.merge && spec.keepsShape;
};

export function documentFromModule(root: nn.Module, options: FromModuleOptions = {}): ModelDocument {
  const ids = new Map<nn.Module, string>();
  const used = new Set<string>();
  const freshId = (path: string) => {
    const base = path.replace(/[^A-Za-z0-9_]/g, '_');
    let id = base;
    for (let i = 2; used.has(id); i++) id = `${base}_${i}`;
    used.add(id);
    return id;
  };
  const order: LayerNode[] = [];
  /** `key` is the module's state-dict path ('' for the root), for ids and messages. */
  const convert = (m: nn.Module, key: string): ModelNode => {
    const seen = ids.get(m);
    if (seen !== undefined) return { id: freshId(`${key}_shared`), op: 'Shared', ref: seen };
    const id = freshId(key === '' ? 'model' : `layer_${key}`);
    ids.set(m, id);
    if (m instanceof nn.Sequential) {
      const children = moduleEntries(m).map(([name, c], i) => {
        const node = convert(c, key === '' ? name : `${key}.${name}`);
        return name === String(i) ? node : { ...node, name };
      });
      return { id, op: 'Sequential', children };
    }
    const layer = layerOf(m);
    if (layer === null) {
      throw new Error(
        `${key === '' ? 'the model' : `'${key}'`} is a ${m.constructor.name}, whose forward is code: only nn.Sequential and the catalogue's layers can be exported from a module (build it from a document instead)`,
      );
    }
    const node: LayerNode = { id, ...layer };
    order.push(node);
    return node;
  };
  const model = convert(root, '');
  let inputShape = options.inputShape;
  if (inputShape === undefined) {
    // Layers that keep the shape pass the features through, so the first other layer tells the input size.
    const first = order.find((l) => !keepsShape(l.op));
    if (first?.op !== 'Linear')
      throw new Error('the input shape cannot be read from the module (it does not start with a Linear): pass inputShape, e.g. [1, 28, 28]');
    inputShape = [first.args?.inFeatures as number];
  }
  const name = options.name ?? root.constructor.name;
  return { format: 'nnblocks.model/1', name: isIdentifier(name) ? name : 'model', input: { shape: inputShape }, model };
}
