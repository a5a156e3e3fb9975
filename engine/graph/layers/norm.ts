/**
 * Normalization: BatchNorm (batch statistics while training, running statistics in eval mode, kept as
 * buffers under PyTorch's keys), LayerNorm and GroupNorm (statistics of each sample).
 */
import { arg, attr, fmt, keepShape, layer, num, tensorOf, tuple } from './define';
import type { Args, LayerSpec, OnnxContext, Shape } from './types';

const eps = arg('eps', 'number', 'added to the variance for numerical stability', { default: 1e-5, min: 0, option: true });

/** The layer's scale and shift, or ones and zeros when it learns none (ONNX's operators need both). */
function affineInputs(ctx: OnnxContext, learned: boolean, dims: number[]): [string, string] {
  if (learned) return [tensorOf(ctx, 'weight'), tensorOf(ctx, 'bias')];
  const size = dims.reduce((p, d) => p * d, 1);
  return [ctx.floats(new Array<number>(size).fill(1), 'ones', dims), ctx.floats(new Array<number>(size).fill(0), 'zeros', dims)];
}

function batchNorm(nd: 1 | 2): LayerSpec {
  const op = `BatchNorm${nd}d`;
  const layouts = nd === 1 ? '[N, C] or [N, C, L]' : '[N, C, H, W]';
  const onnxProblem = (a: Args): string | null =>
    a.trackRunningStats === false
      ? `${op} without running statistics normalises with each batch's own statistics even in eval mode, which the exported model cannot: set trackRunningStats to true`
      : null;
  return layer({
    op,
    category: 'normalization',
    doc: `Normalises each channel of ${layouts} inputs over the batch${nd === 2 ? ' and the image' : ''}: batch statistics while training (updating running estimates), the running estimates in eval mode.`,
    args: [
      arg('numFeatures', 'int', 'channels C of the input', { required: true, min: 1, fromInput: 'channels' }),
      eps,
      arg('momentum', 'number', 'weight of the new batch in the running estimates', { default: 0.1, min: 0, max: 1, option: true }),
      arg('affine', 'bool', 'learn a per-channel scale (weight) and shift (bias)', { default: true, option: true }),
      arg('trackRunningStats', 'bool', 'keep running estimates for eval mode (otherwise eval uses batch statistics too)', {
        default: true,
        option: true,
      }),
    ],
    params: (a) =>
      a.affine === false
        ? []
        : [
            ['weight', [num(a.numFeatures)]],
            ['bias', [num(a.numFeatures)]],
          ],
    buffers: (a) =>
      a.trackRunningStats === false
        ? []
        : [
            ['running_mean', [num(a.numFeatures)]],
            ['running_var', [num(a.numFeatures)]],
            ['num_batches_tracked', []],
          ],
    shape([x], a) {
      const ok = nd === 1 ? x.length === 2 || x.length === 3 : x.length === 4;
      if (!ok) return `${op} takes ${layouts} input, got ${fmt(x)}`;
      if (x[1] !== a.numFeatures) return `expects ${a.numFeatures} channels but receives ${x[1]} (input shape ${fmt(x)})`;
      return x;
    },
    shapeRule: `${layouts} → the same shape (C = numFeatures)`,
    keepsShape: true,
    onnxOps: 'BatchNormalization (running statistics: exported in eval mode)',
    onnxProblem,
    onnx(ctx, x, a) {
      const problem = onnxProblem(a);
      if (problem !== null) throw new Error(`${ctx.name}: ${problem}`);
      const [scale, shift] = affineInputs(ctx, a.affine !== false, [num(a.numFeatures)]);
      return ctx.op(
        'BatchNormalization',
        [x, scale, shift, tensorOf(ctx, 'running_mean'), tensorOf(ctx, 'running_var')],
        [attr.float('epsilon', num(a.eps))],
      );
    },
  });
}

const normalizedShape = (a: Args) => tuple(a.normalizedShape, 1);

const layerNorm = layer({
  op: 'LayerNorm',
  category: 'normalization',
  doc: 'Normalises each sample over its last dimensions (normalizedShape), with a learned elementwise scale and shift.',
  args: [
    arg('normalizedShape', 'ints', 'the last dimensions to normalise over: n or [d1, d2, ...]', { required: true, min: 1, fromInput: 'features' }),
    eps,
    arg('elementwiseAffine', 'bool', 'learn a scale (weight) and shift (bias) of shape normalizedShape', { default: true, option: true }),
  ],
  params: (a) =>
    a.elementwiseAffine === false
      ? []
      : [
          ['weight', normalizedShape(a)],
          ['bias', normalizedShape(a)],
        ],
  shape([x], a) {
    const dims = normalizedShape(a);
    const tail = x.slice(x.length - dims.length);
    if (x.length <= dims.length || tail.some((d, i) => d !== dims[i]))
      return `normalises over the last dimensions [${dims.join(', ')}], but the input is ${fmt(x)}`;
    return x;
  },
  shapeRule: '[N, *, normalizedShape] → the same shape',
  keepsShape: true,
  onnxOps: 'LayerNormalization',
  onnx(ctx, x, a) {
    const dims = normalizedShape(a);
    const [scale, shift] = affineInputs(ctx, a.elementwiseAffine !== false, dims);
    return ctx.op('LayerNormalization', [x, scale, shift], [attr.int('axis', -dims.length), attr.float('epsilon', num(a.eps))]);
  },
});

const groupNorm = layer({
  op: 'GroupNorm',
  category: 'normalization',
  doc: 'Splits the channels into numGroups groups and normalises each group of each sample; learned per-channel scale and shift.',
  args: [
    arg('numGroups', 'int', 'groups to split the channels into', { required: true, min: 1 }),
    arg('numChannels', 'int', 'channels C of the input (divisible by numGroups)', { required: true, min: 1, fromInput: 'channels' }),
    eps,
    arg('affine', 'bool', 'learn a per-channel scale (weight) and shift (bias)', { default: true, option: true }),
  ],
  params: (a) =>
    a.affine === false
      ? []
      : [
          ['weight', [num(a.numChannels)]],
          ['bias', [num(a.numChannels)]],
        ],
  shape([x], a) {
    if (num(a.numChannels) % num(a.numGroups) !== 0) return `numChannels ${a.numChannels} is not divisible by numGroups ${a.numGroups}`;
    if (x.length < 2) return `GroupNorm takes [N, C, *] input, got ${fmt(x)}`;
    if (x[1] !== a.numChannels) return `expects ${a.numChannels} channels but receives ${x[1]} (input shape ${fmt(x)})`;
    return keepShape([x]);
  },
  shapeRule: '[N, C, *] → the same shape (C = numChannels, divisible by numGroups)',
  keepsShape: true,
  onnxOps: 'Reshape, ReduceMean, Sub, Mul, Add, Sqrt, Div (GroupNormalization is opset 18)',
  onnx(ctx, x, a, input: Shape) {
    const c = num(a.numChannels);
    const grouped = ctx.op('Reshape', [x, ctx.int64s([0, num(a.numGroups), -1], 'grouped_shape')], [], 'grouped');
    const mean = ctx.op('ReduceMean', [grouped], [attr.ints('axes', [2]), attr.int('keepdims', 1)], 'mean');
    const centred = ctx.op('Sub', [grouped, mean], [], 'centred');
    const variance = ctx.op('ReduceMean', [ctx.op('Mul', [centred, centred], [], 'sq')], [attr.ints('axes', [2]), attr.int('keepdims', 1)], 'var');
    const std = ctx.op('Sqrt', [ctx.op('Add', [variance, ctx.scalar(num(a.eps))], [], 'var_eps')], [], 'std');
    const normed = ctx.op('Div', [centred, std], [], 'normed');
    const rest = input.slice(2).map(num);
    const y = ctx.op('Reshape', [normed, ctx.int64s([0, c, ...rest], 'shape')], [], a.affine === false ? undefined : 'unscaled');
    if (a.affine === false) return y;
    // Per-channel scale and shift broadcast as [C, 1, ..., 1] against [N, C, ...].
    const perChannel = ctx.int64s([c, ...rest.map(() => 1)], 'channel_shape');
    const w = ctx.op('Reshape', [tensorOf(ctx, 'weight'), perChannel], [], 'w');
    const b = ctx.op('Reshape', [tensorOf(ctx, 'bias'), perChannel], [], 'b');
    return ctx.op('Add', [ctx.op('Mul', [y, w], [], 'scaled'), b]);
  },
});

export const NORMALIZATION: LayerSpec[] = [batchNorm(1), batchNorm(2), layerNorm, groupNorm];
