/**
 * ONNX export: a document plus its weights becomes an ONNX ModelProto (opset 17, IR 8) encoded with the
 * onnx.proto schema compiled by protobufjs (the `onnx-proto` package), never hand-made bytes. The batch
 * dimension is symbolic ('N'), weights are initializers named by their state-dict key, and a shared
 * layer's parameters are stored once (initializers are keyed by the Parameter object, not by path).
 * Pure JavaScript: no file access here (see onnx/file.ts for writing).
 */
import { onnx } from 'onnx-proto';
import type { Tensor } from '../../tensor';
import * as nn from '../../nn';
import type { Module } from '../../nn';
import { documentFromModule, type FromModuleOptions } from '../from_module';
import { blockDefinition, type GraphNode, type LayerNode, type ModelDocument, type ModelNode } from '../format';
import { isGraph, isLayer, matchNode } from '../nodes';
import { layerSpec, resolvedArgs, type OnnxAttr, type OnnxContext, type Shape } from '../catalogue';
import { analyzeDocument, graphOrder } from '../analyze';
import { buildModel, ModelBuildError } from '../build';
import { placeNodes } from '../scopes';
import { onnxSizeProblem } from '../analyze_size';

export const ONNX_OPSET = 17;
const IR_VERSION = 8;

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

/** `name` and `inputShape` are used when exporting a module built in code (see ../from_module). */
export interface OnnxExportOptions extends FromModuleOptions {
  /** The producer version recorded in the file. */
  producerVersion?: string;
}

/** What can be exported: a document, or a module built in code from nn.Sequential and catalogue layers. */
export type OnnxSource = ModelDocument | Module;

type Attr = onnx.IAttributeProto;
const { AttributeType } = onnx.AttributeProto;

/** A catalogue entry's attribute as protobuf. */
function toProtoAttr(a: OnnxAttr): Attr {
  switch (a.kind) {
    case 'int':
      return { name: a.name, type: AttributeType.INT, i: a.value };
    case 'float':
      return { name: a.name, type: AttributeType.FLOAT, f: a.value };
    case 'ints':
      return { name: a.name, type: AttributeType.INTS, ints: a.value };
    case 'string':
      return { name: a.name, type: AttributeType.STRING, s: new TextEncoder().encode(a.value) };
  }
}

function valueInfo(name: string, shape: Shape): onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: shape.map((d) => (d === 'N' ? { dimParam: 'N' } : { dimValue: d })) } } },
  };
}

function floatTensor(name: string, shape: number[], data: Float32Array): onnx.ITensorProto {
  // raw_data is little-endian; copy so the proto owns exactly these bytes.
  const bytes = new Uint8Array(data.byteLength);
  bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return { name, dims: shape, dataType: FLOAT, rawData: bytes };
}

/**
 * The model to export: `weights` may be a module built from this document, a state dict (loaded into a
 * fresh build, strictly), or null (a fresh build with its random initialisation).
 */
function resolveModule(doc: ModelDocument, weights: Module | Record<string, Tensor> | null): Module {
  if (weights !== null && typeof (weights as Module).stateDict === 'function') return weights as Module;
  const m = buildModel(doc);
  if (weights !== null) m.loadStateDict(weights as Record<string, Tensor>, true);
  return m;
}

/** Encoded ONNX model bytes for a document or module. */
export function toOnnxBytes(source: OnnxSource, weights: Module | Record<string, Tensor> | null, options: OnnxExportOptions = {}): Uint8Array {
  return onnx.ModelProto.encode(toOnnxModel(source, weights, options)).finish();
}

/**
 * The ONNX model of a document (with `weights` as resolveModule takes them) or of a module built in
 * code (its own weights unless `weights` says otherwise).
 */
export function toOnnxModel(source: OnnxSource, weights: Module | Record<string, Tensor> | null, options: OnnxExportOptions = {}): onnx.IModelProto {
  if (source instanceof nn.Module) return toOnnxModel(documentFromModule(source, options), weights ?? source, options);
  const doc = source;
  const analysis = analyzeDocument(doc);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new ModelBuildError(`model '${doc.name}' has errors:\n${errors.map((e) => `  ${e.id}: ${e.message}`).join('\n')}`);
  // A protobuf message is at most 2 GiB, and this exporter stores the weights inside the file: say so
  // before building (and allocating) them, not after.
  const tooBig = onnxSizeProblem(analysis.totalParams);
  if (tooBig !== null) throw new ModelBuildError(`model '${doc.name}' ${tooBig}`);
  const root = resolveModule(doc, weights);
  const places = placeNodes(doc);

  const nodes: onnx.INodeProto[] = [];
  const initializers: onnx.ITensorProto[] = [];
  const paramNames = new Map<Tensor, string>();
  const constants = new Map<string, string>();
  const usedNames = new Set<string>();
  const fresh = (raw: string) => {
    const base = raw.replace(/[^A-Za-z0-9_.:/-]/g, '_');
    let s = base;
    for (let i = 1; usedNames.has(s); i++) s = `${base}_${i}`;
    usedNames.add(s);
    return s;
  };
  const op = (opType: string, inputs: string[], name: string, attribute: Attr[] = []): string => {
    const out = fresh(name);
    nodes.push({ opType, input: inputs, output: [out], name: out, attribute });
    return out;
  };
  const scalar = (v: number): string => {
    const key = String(v);
    let name = constants.get(key);
    if (name === undefined) {
      name = fresh(`const_${key.replace(/[^0-9a-z]/gi, '_')}`);
      initializers.push(floatTensor(name, [], new Float32Array([v])));
      constants.set(key, name);
    }
    return name;
  };
  const param = (t: Tensor, key: string): string => {
    let name = paramNames.get(t);
    if (name === undefined) {
      name = fresh(key);
      initializers.push(floatTensor(name, [...t.shape], t.data));
      paramNames.set(t, name);
    }
    return name;
  };
  const child = (m: Module, key: string): Module => m.getSubmodule(key);
  const join = (prefix: string, key: string) => (prefix === '' ? key : `${prefix}.${key}`);

  /** Emits node n (whose module is m, at state-dict path `path`) on value x of shape s. */
  const emit = (n: ModelNode, m: Module, path: string, x: string, s: Shape): [string, Shape] =>
    matchNode<[string, Shape]>(n, {
      sequential(seq) {
        let cur: [string, Shape] = [x, s];
        seq.children.forEach((c, i) => {
          const key = c.name ?? String(i);
          cur = emit(c, child(m, key), join(path, key), cur[0], cur[1]);
        });
        return cur;
      },
      graph: (g) => emitGraph(g, m, path, [x], s),
      block(b) {
        const def = blockDefinition(doc, b.block);
        if (def === undefined) throw new ModelBuildError(`there is no block named "${b.block}"`);
        return emit(def.body, m, path, x, s);
      },
      shared(sh) {
        const target = places.get(sh.ref)?.node;
        if (target === undefined) throw new ModelBuildError(`${sh.id} shares weights with "${sh.ref}", which does not exist`);
        return emit(target, m, path, x, s);
      },
      layer: (l) => emitLayer(l, m, path, x, s),
    });

  const emitLayer = (n: LayerNode, m: Module, path: string, x: string, s: Shape): [string, Shape] => {
    const spec = layerSpec(n.op);
    if (spec === undefined) throw new ModelBuildError(`unknown layer type "${n.op}"`);
    if (spec.merge) throw new ModelBuildError(`${n.id}: a ${n.op} merge outside a Graph`);
    const a = resolvedArgs(spec, n.args);
    const out = spec.shape([s], a);
    if (typeof out === 'string') throw new ModelBuildError(`${n.id}: ${out}`);
    return [spec.onnx(layerContext(n.id, m, path), x, a, s, out), out];
  };

  /** What a catalogue entry's emitter works with: nodes named after the layer, its tensors as initializers. */
  const layerContext = (base: string, m: Module | null, path: string): OnnxContext => {
    const own = new Map<string, Tensor>(m === null ? [] : [...m.namedParameters(), ...m.namedBuffers()].filter(([k]) => !k.includes('.')));
    const named = (suffix: string | undefined) => (suffix === undefined ? base : `${base}_${suffix}`);
    return {
      name: base,
      op: (opType, inputs, attrs = [], suffix) => op(opType, inputs, named(suffix), attrs.map(toProtoAttr)),
      tensor(key) {
        const t = own.get(key);
        return t === undefined ? null : param(t, join(path, key));
      },
      scalar,
      int64s(values, suffix) {
        const name = fresh(named(suffix));
        initializers.push({ name, dims: [values.length], dataType: INT64, int64Data: values });
        return name;
      },
      floats(values, suffix, dims = [values.length]) {
        const name = fresh(named(suffix));
        initializers.push(floatTensor(name, dims, new Float32Array(values)));
        return name;
      },
    };
  };

  const emitGraph = (g: GraphNode, m: Module, path: string, xs: string[], s: Shape): [string, Shape] => {
    const values = new Map<string, [string, Shape]>();
    g.inputs.forEach((name, i) => values.set(name, [xs[Math.min(i, xs.length - 1)], s]));
    for (const c of graphOrder(g)) {
      const ins = g.edges
        .filter((e) => e.to === c.id)
        .sort((p, q) => (p.port ?? 0) - (q.port ?? 0))
        .map((e) => values.get(e.from) as [string, Shape]);
      const spec = layerSpec(c.op);
      if (spec?.merge && isLayer(c)) {
        const a = resolvedArgs(spec, c.args);
        const shape = spec.shape(
          ins.map((v) => v[1]),
          a,
        );
        if (typeof shape === 'string') throw new ModelBuildError(`${c.id}: ${shape}`);
        values.set(c.id, [
          spec.onnx(
            layerContext(c.id, null, path),
            ins.map((v) => v[0]),
            a,
          ),
          shape,
        ]);
        continue;
      }
      const key = c.name ?? c.id;
      values.set(c.id, emit(c, child(m, key), join(path, key), ins[0][0], ins[0][1]));
    }
    return values.get(g.outputs[0]) as [string, Shape];
  };

  const inputShape: Shape = ['N', ...doc.input.shape];
  const inputNames = isGraph(doc.model) ? doc.model.inputs : ['input'];
  inputNames.forEach((n) => usedNames.add(n));
  usedNames.add('output');
  const [last, outShape] = isGraph(doc.model)
    ? emitGraph(doc.model, root, '', inputNames, inputShape)
    : emit(doc.model, root, '', 'input', inputShape);
  nodes.push({ opType: 'Identity', input: [last], output: ['output'], name: 'output' });

  return {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'nn-blocks',
    producerVersion: options.producerVersion ?? '0.1.0',
    docString: doc.description ?? '',
    graph: {
      name: doc.name,
      node: nodes,
      initializer: initializers,
      input: inputNames.map((n) => valueInfo(n, inputShape)),
      output: [valueInfo('output', outShape)],
    },
  };
}
