/**
 * A model built in code (`new nn.Sequential(new nn.Linear(2, 4), new nn.Tanh(), ...)`) as a document,
 * so that it can be exported like one: Sequentials keep their children's keys, a module instance used
 * twice becomes a Shared node (tied weights), and every catalogue layer keeps its arguments. A module
 * with a forward of its own is code, not a diagram: it is refused with the reason.
 */
import * as nn from '../nn';
import { moduleEntries } from '../nn/module';
import type { LayerNode, ModelDocument, ModelNode } from './format';
import { isIdentifier } from './layer_names';

export interface FromModuleOptions {
  /** The document's name (default: the root module's class name). */
  name?: string;
  /** Features of one sample; default: the first Linear's inFeatures when only shape-keeping layers precede it. */
  inputShape?: number[];
}

/** The catalogue layer a module is, with its arguments, or null for anything else. */
function layerOf(m: nn.Module): Pick<LayerNode, 'op' | 'args'> | null {
  if (m instanceof nn.Linear) return { op: 'Linear', args: { inFeatures: m.inFeatures, outFeatures: m.outFeatures, ...(m.bias === null ? { bias: false } : {}) } };
  if (m instanceof nn.LeakyReLU) return { op: 'LeakyReLU', args: { negativeSlope: m.negativeSlope } };
  if (m instanceof nn.Softmax) return { op: 'Softmax', args: { dim: m.dim } };
  if (m instanceof nn.LogSoftmax) return { op: 'LogSoftmax', args: { dim: m.dim } };
  if (m instanceof nn.Flatten) return { op: 'Flatten', args: { startDim: m.startDim, endDim: m.endDim } };
  if (m instanceof nn.Dropout) return { op: 'Dropout', args: { p: m.p } };
  for (const [op, cls] of [['ReLU', nn.ReLU], ['Tanh', nn.Tanh], ['Sigmoid', nn.Sigmoid], ['GELU', nn.GELU], ['Step', nn.Step], ['Identity', nn.Identity]] as const) {
    if (m instanceof cls) return { op };
  }
  return null;
}

/** Layers through which the feature shape passes unchanged (so a later Linear tells the input size). */
const SHAPE_KEEPING = new Set(['ReLU', 'LeakyReLU', 'Tanh', 'Sigmoid', 'GELU', 'Step', 'Identity', 'Dropout', 'Softmax', 'LogSoftmax']);

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
    const first = order.find((l) => !SHAPE_KEEPING.has(l.op));
    if (first?.op !== 'Linear') throw new Error('the input shape cannot be read from the module (it does not start with a Linear): pass inputShape, e.g. [1, 28, 28]');
    inputShape = [first.args?.inFeatures as number];
  }
  const name = options.name ?? root.constructor.name;
  return { format: 'nnblocks.model/1', name: isIdentifier(name) ? name : 'model', input: { shape: inputShape }, model };
}
