// The document operations of the visual editor: pure, browser-safe, each returning a new document or a reason.
export { applyEdit } from './apply';
export { addNode, makeNode } from './add';
export { connect, disconnect, setOutput } from './connect';
export { deleteNodes } from './delete';
export { groupAsSequential, ungroup, reorder } from './group';
export { makeBlock } from './blocks';
export { shareCandidates, shareWeights, untie, type ShareCandidate } from './share';
export { rename, nameProblem, setArgs, setInit, setInputShape, setTraining } from './properties';
export { copyNodes, paste, isClipboardPayload } from './clipboard';
export { locate, walk } from './tree';
export type { EditOp, EditResult, Placement, ClipboardPayload } from './types';
