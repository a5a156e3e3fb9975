/** Dropout: zeroes while training, the identity in eval mode (which is what ONNX export writes). */
import { arg, fmt, keepShape, layer, SAME } from './define';
import type { LayerSpec } from './types';

const p = arg('p', 'number', 'probability of an element to be zeroed', { default: 0.5, min: 0, max: 1 });

export const REGULARIZATION: LayerSpec[] = [
  layer({
    op: 'Dropout',
    category: 'regularization',
    doc: 'Zeroes inputs with probability p while training (scaling the rest by 1/(1-p)); identity in eval mode.',
    args: [p],
    shape: keepShape,
    shapeRule: SAME,
    keepsShape: true,
    onnxOps: 'Identity (exported in eval mode)',
    onnx: (ctx, x) => ctx.op('Identity', [x]),
  }),
  layer({
    op: 'Dropout2d',
    category: 'regularization',
    doc: 'Zeroes whole channels with probability p while training (scaling the rest by 1/(1-p)); identity in eval mode.',
    args: [{ ...p, doc: 'probability of a channel to be zeroed' }],
    shape: ([x]) => (x.length === 3 || x.length === 4 ? x : `Dropout2d takes [N, C, H, W] (or [C, H, W]) input, got ${fmt(x)}`),
    shapeRule: `${SAME} ([N, C, H, W])`,
    keepsShape: true,
    onnxOps: 'Identity (exported in eval mode)',
    onnx: (ctx, x) => ctx.op('Identity', [x]),
  }),
];
