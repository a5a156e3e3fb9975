/** Pooling: max and average windows, and adaptive pools that produce a fixed output size. */
import { arg, attr, dims, layer, num, sameValue, tuple } from './define';
import { AXES, slide, spatialInput, withSpatial } from './spatial';
import type { ArgSpec, Args, LayerSpec, OnnxContext, Shape } from './types';

const sizeArg = (nd: number, name: string, doc: string, extra: Partial<ArgSpec>) =>
  arg(name, 'size', nd === 1 ? doc : `${doc}: n or [h, w]`, { arity: nd, ...extra });

/** The window's stride: PyTorch's default is the kernel size. */
const strideOf = (a: Args, nd: number) => tuple(a.stride ?? a.kernelSize, nd);

/** '2x2', or '3x3, s2' when the stride is not the kernel size. */
const windowSummary = (nd: number) => (a: Args) =>
  [dims(a.kernelSize, nd), a.stride !== undefined && !sameValue(tuple(a.stride, nd), tuple(a.kernelSize, nd)) ? `s${dims(a.stride, nd)}` : '']
    .filter((s) => s !== '')
    .join(', ');

function windowShape(op: string, nd: number, x: Shape, a: Args): Shape | string {
  const sizes = spatialInput(op, x, nd);
  if (typeof sizes === 'string') return sizes;
  const k = tuple(a.kernelSize, nd);
  const p = tuple(a.padding, nd);
  const bad = p.findIndex((pi, i) => pi > k[i] / 2);
  if (bad >= 0) return `padding ${p[bad]} must be at most half the kernel size ${k[bad]}`;
  const out = slide(AXES[nd], sizes, k, strideOf(a, nd), { begin: p, end: p }, tuple(a.dilation ?? 1, nd), a.ceilMode === true);
  return typeof out === 'string' ? out : withSpatial(x, x[1], out);
}

function maxPool(nd: 1 | 2): LayerSpec {
  const op = `MaxPool${nd}d`;
  return layer({
    op,
    category: 'pooling',
    doc: `The maximum of each ${nd === 1 ? 'window' : 'k×k window'} of every channel; stride defaults to the kernel size.`,
    args: [
      sizeArg(nd, 'kernelSize', 'size of the window', { required: true, min: 1 }),
      sizeArg(nd, 'stride', 'step between windows (default: kernelSize)', { min: 1, option: true }),
      sizeArg(nd, 'padding', 'implicit −∞ padding on both sides', { default: 0, min: 0, option: true }),
      sizeArg(nd, 'dilation', 'spacing between window elements', { default: 1, min: 1, option: true }),
      arg('ceilMode', 'bool', 'round the output size up instead of down', { default: false, option: true }),
    ],
    shape: ([x], a) => windowShape(op, nd, x, a),
    shapeRule: `[N, C, ${AXES[nd].join(', ')}] → [N, C, ${AXES[nd].map((ax) => `⌊(${ax} + 2p − d·(k − 1) − 1) / s⌋ + 1`).join(', ')}]`,
    summary: windowSummary(nd),
    onnxOps: 'MaxPool',
    onnx: (ctx, x, a) =>
      ctx.op(
        'MaxPool',
        [x],
        [
          attr.ints('kernel_shape', tuple(a.kernelSize, nd)),
          attr.ints('strides', strideOf(a, nd)),
          attr.ints('pads', [...tuple(a.padding, nd), ...tuple(a.padding, nd)]),
          attr.ints('dilations', tuple(a.dilation, nd)),
          attr.int('ceil_mode', a.ceilMode === true ? 1 : 0),
        ],
      ),
  });
}

const avgPool2d = layer({
  op: 'AvgPool2d',
  category: 'pooling',
  doc: 'The mean of each k×k window of every channel; stride defaults to the kernel size.',
  args: [
    sizeArg(2, 'kernelSize', 'size of the window', { required: true, min: 1 }),
    sizeArg(2, 'stride', 'step between windows (default: kernelSize)', { min: 1, option: true }),
    sizeArg(2, 'padding', 'implicit zero padding on both sides', { default: 0, min: 0, option: true }),
    arg('ceilMode', 'bool', 'round the output size up instead of down', { default: false, option: true }),
    arg('countIncludePad', 'bool', 'count the padding zeros in the mean', { default: true, option: true }),
  ],
  shape: ([x], a) => windowShape('AvgPool2d', 2, x, a),
  shapeRule: '[N, C, H, W] → [N, C, ⌊(H + 2p − k) / s⌋ + 1, ⌊(W + 2p − k) / s⌋ + 1]',
  summary: windowSummary(2),
  onnxOps: 'AveragePool',
  onnx: (ctx, x, a) =>
    ctx.op(
      'AveragePool',
      [x],
      [
        attr.ints('kernel_shape', tuple(a.kernelSize, 2)),
        attr.ints('strides', strideOf(a, 2)),
        attr.ints('pads', [...tuple(a.padding, 2), ...tuple(a.padding, 2)]),
        attr.int('ceil_mode', a.ceilMode === true ? 1 : 0),
        attr.int('count_include_pad', a.countIncludePad === false ? 0 : 1),
      ],
    ),
});

function adaptive(kind: 'Avg' | 'Max'): LayerSpec {
  const op = `Adaptive${kind}Pool2d`;
  const onnxPool = kind === 'Avg' ? 'AveragePool' : 'MaxPool';
  const global = `Global${onnxPool}`;
  const onnxProblem = (a: Args, input: Shape): string | null => {
    const out = tuple(a.outputSize, 2);
    const sizes = input.slice(2).map(num);
    if (out.every((o) => o === 1) || !sizes.some((s, i) => s % out[i] !== 0)) return null;
    return `${op} from ${sizes.join('x')} to ${out.join('x')} has windows of different sizes, which ONNX cannot express (use an output size that divides the input, or 1)`;
  };
  return layer({
    op,
    category: 'pooling',
    doc: `${kind === 'Avg' ? 'Average' : 'Max'} pooling to a fixed output size [h, w] whatever the input size (outputSize 1: global ${kind === 'Avg' ? 'average' : 'max'} pooling).`,
    args: [sizeArg(2, 'outputSize', 'the output size', { required: true, min: 1 })],
    shape([x], a) {
      const sizes = spatialInput(op, x, 2);
      if (typeof sizes === 'string') return sizes;
      return withSpatial(x, x[1], tuple(a.outputSize, 2));
    },
    shapeRule: '[N, C, H, W] → [N, C, h, w]',
    summary: (a) => `→ ${dims(a.outputSize, 2)}`,
    onnxOps: `${global} (output 1×1), or ${onnxPool} when the input divides evenly`,
    onnxProblem,
    onnx(ctx: OnnxContext, x, a, input) {
      const out = tuple(a.outputSize, 2);
      if (out.every((o) => o === 1)) return ctx.op(global, [x]);
      const sizes = input.slice(2).map(num);
      const problem = onnxProblem(a, input);
      if (problem !== null) throw new Error(`${ctx.name}: ${problem}`);
      const k = sizes.map((s, i) => s / out[i]);
      return ctx.op(onnxPool, [x], [attr.ints('kernel_shape', k), attr.ints('strides', k)]);
    },
  });
}

export const POOLING: LayerSpec[] = [maxPool(1), maxPool(2), avgPool2d, adaptive('Avg'), adaptive('Max')];
