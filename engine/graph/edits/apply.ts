/**
 * One entry point for every editor operation: the extension calls it with the operation the webview sent
 * (after checking its shape with `isEditOp`), the webview calls it too to refuse impossible edits at once.
 * A successful edit always yields a document that passes the schema, so the file is never made invalid.
 */
import { analyzeDocument } from '../analyze';
import { DocumentSchema, type ModelDocument } from '../format';
import { formatPath } from '../parse';
import { addNode } from './add';
import { makeBlock } from './blocks';
import { isClipboardPayload, paste } from './clipboard';
import { connect, disconnect, setOutput } from './connect';
import { deleteNodes } from './delete';
import { groupAsSequential, reorder, ungroup } from './group';
import { rename, setArgs, setInit, setInputShape, setTraining } from './properties';
import { shareWeights, untie } from './share';
import { refuse, type EditOp, type EditResult } from './types';

function run(doc: ModelDocument, op: EditOp): EditResult {
  switch (op.kind) {
    case 'addNode': {
      const shapes = 'after' in op.placement ? analyzeDocument(doc).nodeShapes : undefined;
      return addNode(doc, op.placement, { op: op.op, args: op.args, block: op.block, ref: op.ref }, shapes);
    }
    case 'connect':
      return connect(doc, op.graph, op.from, op.to);
    case 'setOutput':
      return setOutput(doc, op.graph, op.node);
    case 'disconnect':
      return disconnect(doc, op.graph, op.edges);
    case 'delete':
      return deleteNodes(doc, op.ids);
    case 'group':
      return groupAsSequential(doc, op.ids);
    case 'ungroup':
      return ungroup(doc, op.id);
    case 'reorder':
      return reorder(doc, op.id, op.delta);
    case 'makeBlock':
      return makeBlock(doc, op.id, op.name);
    case 'shareWeights':
      return shareWeights(doc, op.id, op.ref);
    case 'untie':
      return untie(doc, op.id);
    case 'rename':
      return rename(doc, op.id, op.name);
    case 'setArgs':
      return setArgs(doc, op.id, op.args);
    case 'setInit':
      return setInit(doc, op.id, op.param, op.init);
    case 'paste':
      return isClipboardPayload(op.payload) ? paste(doc, op.payload, op.placement) : refuse('the clipboard does not hold NN Blocks nodes');
    case 'setInputShape':
      return setInputShape(doc, op.shape);
    case 'setTraining':
      return setTraining(doc, op.training);
  }
}

export function applyEdit(doc: ModelDocument, op: EditOp): EditResult {
  let r: EditResult;
  try {
    r = run(doc, op);
  } catch (e) {
    return refuse(`the edit failed: ${(e as Error).message}`);
  }
  if (!r.ok) return r;
  const check = DocumentSchema.safeParse(r.doc);
  if (!check.success) return refuse(`the edit would make the document invalid: ${check.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ')}`);
  return r;
}

const KINDS = new Set<EditOp['kind']>([
  'addNode', 'connect', 'setOutput', 'disconnect', 'delete', 'group', 'ungroup', 'reorder', 'makeBlock', 'shareWeights', 'untie', 'rename', 'setArgs', 'setInit', 'paste', 'setInputShape', 'setTraining',
]);
const str = (v: unknown) => typeof v === 'string';
const strs = (v: unknown) => Array.isArray(v) && v.every(str);
const placement = (v: unknown) => {
  const p = v as Record<string, unknown>;
  return typeof v === 'object' && v !== null && (str(p.after) || (str(p.container) && (p.index === undefined || Number.isInteger(p.index))));
};

/** Structural check of an operation received over a message channel (values are checked by the edit itself). */
export function isEditOp(v: unknown): v is EditOp {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  if (!KINDS.has(o.kind as EditOp['kind'])) return false;
  switch (o.kind as EditOp['kind']) {
    case 'addNode':
      return str(o.op) && placement(o.placement) && (o.args === undefined || (typeof o.args === 'object' && o.args !== null)) && (o.block === undefined || str(o.block)) && (o.ref === undefined || str(o.ref));
    case 'connect':
      return str(o.from) && str(o.to) && str(o.graph);
    case 'setOutput':
      return str(o.graph) && str(o.node);
    case 'disconnect':
      return str(o.graph) && strs(o.edges);
    case 'delete':
    case 'group':
      return strs(o.ids);
    case 'ungroup':
    case 'untie':
      return str(o.id);
    case 'reorder':
      return str(o.id) && Number.isInteger(o.delta);
    case 'makeBlock':
    case 'rename':
      return str(o.id) && str(o.name);
    case 'shareWeights':
      return str(o.id) && str(o.ref);
    case 'setArgs':
      return str(o.id) && typeof o.args === 'object' && o.args !== null && Object.values(o.args).every((a) => a === null || ['number', 'string', 'boolean'].includes(typeof a));
    case 'setInit':
      return str(o.id) && str(o.param) && (o.init === null || (typeof o.init === 'object' && o.init !== null));
    case 'paste':
      return placement(o.placement) && typeof o.payload === 'object' && o.payload !== null;
    case 'setInputShape':
      return Array.isArray(o.shape) && o.shape.every((d) => Number.isInteger(d));
    case 'setTraining':
      return o.training === null || (typeof o.training === 'object' && o.training !== null);
  }
}
