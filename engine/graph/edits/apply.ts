/**
 * One entry point for every editor operation: the extension calls it with the operation the webview sent
 * (after parsing it with protocol/edits.ts's EditOpSchema), the webview calls it too to refuse impossible edits at once.
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
      return addNode(doc, op.placement, { op: op.op, args: op.args, block: op.block, ref: op.ref }, analyzeDocument(doc));
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
  if (!check.success)
    return refuse(`the edit would make the document invalid: ${check.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ')}`);
  return r;
}
