/** Convolutions: Conv1d, Conv2d and ConvTranspose2d, with PyTorch's arguments and weight layouts. */
import { arg, attr, dims, fmt, layer, num, tensorOf, tuple } from './define';
import { AXES, paddingOf, slide, spatialInput, withSpatial } from './spatial';
import type { ArgSpec, Args, LayerSpec, Shape } from './types';

function convArgs(nd: number, transposed: boolean): ArgSpec[] {
  const size = (name: string, doc: string, extra: Partial<ArgSpec>) =>
    arg(name, 'size', nd === 1 ? doc : `${doc}: n or [h, w]`, { arity: nd, ...extra });
  return [
    arg('inChannels', 'int', 'channels of the input', { required: true, min: 1, fromInput: 'channels' }),
    arg('outChannels', 'int', 'channels the layer produces', { required: true, min: 1 }),
    size('kernelSize', 'size of the kernel', { required: true, min: 1 }),
    size('stride', 'step between windows', { default: 1, min: 1, option: true }),
    transposed
      ? size('padding', 'implicit zero padding removed from each side of the output', { default: 0, min: 0, option: true })
      : size('padding', "zeros added to both sides of the input, or 'same' / 'valid'", {
          default: 0,
          min: 0,
          option: true,
          keywords: ['same', 'valid'],
        }),
    ...(transposed ? [size('outputPadding', 'extra size added to one side of the output', { default: 0, min: 0, option: true })] : []),
    size('dilation', 'spacing between kernel elements', { default: 1, min: 1, option: true }),
    arg('groups', 'int', 'blocked connections from input to output channels (both divisible by it)', { default: 1, min: 1, option: true }),
    arg('bias', 'bool', 'learn an additive bias', { default: true, option: true }),
  ];
}

/** Channel and group checks shared by every convolution; null when they hold. */
function channelProblem(x: Shape, a: Args): string | null {
  const cin = num(a.inChannels);
  const g = num(a.groups);
  if (cin % g !== 0 || num(a.outChannels) % g !== 0) return `groups ${g} must divide both inChannels ${cin} and outChannels ${a.outChannels}`;
  if (x[1] !== cin) return `expects ${cin} input channels but receives ${x[1]} (input shape ${fmt(x)})`;
  return null;
}

/** '3x3, 16 → 32, s2': the kernel, the channels, and a stride, padding or groups that are not the default. */
function convSummary(nd: number) {
  return (a: Args): string => {
    const extra = [
      tuple(a.stride, nd).some((s) => s !== 1) ? `s${dims(a.stride, nd)}` : '',
      typeof a.padding === 'string' ? a.padding : tuple(a.padding, nd).some((p) => p !== 0) ? `p${dims(a.padding, nd)}` : '',
      num(a.groups) !== 1 ? `g${a.groups}` : '',
    ].filter((s) => s !== '');
    return [`${dims(a.kernelSize, nd)}, ${a.inChannels} → ${a.outChannels}`, ...extra].join(', ');
  };
}

function conv(nd: 1 | 2): LayerSpec {
  const op = `Conv${nd}d`;
  const axes = AXES[nd];
  return layer({
    op,
    category: 'convolution',
    doc: `${nd}-D convolution over [N, C, ${axes.join(', ')}] inputs (cross-correlation, as in PyTorch); weight [out, in / groups, ${axes.map((ax) => `k${ax}`).join(', ')}].`,
    args: convArgs(nd, false),
    params: (a) => [
      ['weight', [num(a.outChannels), num(a.inChannels) / num(a.groups), ...tuple(a.kernelSize, nd)]],
      ...(a.bias !== false ? [['bias', [num(a.outChannels)]] as [string, number[]]] : []),
    ],
    shape([x], a) {
      const sizes = spatialInput(op, x, nd);
      if (typeof sizes === 'string') return sizes;
      const problem = channelProblem(x, a);
      if (problem !== null) return problem;
      const stride = tuple(a.stride, nd);
      if (a.padding === 'same' && stride.some((s) => s !== 1)) return `padding 'same' needs stride 1, got stride ${fmt(stride)}`;
      const out = slide(axes, sizes, tuple(a.kernelSize, nd), stride, paddingOf(a, nd), tuple(a.dilation, nd));
      return typeof out === 'string' ? out : withSpatial(x, num(a.outChannels), out);
    },
    shapeRule: `[N, inChannels, ${axes.join(', ')}] → [N, outChannels, ${axes.map((ax) => `⌊(${ax} + 2p − d·(k − 1) − 1) / s⌋ + 1`).join(', ')}]`,
    summary: convSummary(nd),
    onnxOps: 'Conv',
    onnx(ctx, x, a) {
      const pad = paddingOf(a, nd);
      const b = ctx.tensor('bias');
      return ctx.op('Conv', b ? [x, tensorOf(ctx, 'weight'), b] : [x, tensorOf(ctx, 'weight')], [
        attr.ints('kernel_shape', tuple(a.kernelSize, nd)),
        attr.ints('strides', tuple(a.stride, nd)),
        attr.ints('pads', [...pad.begin, ...pad.end]),
        attr.ints('dilations', tuple(a.dilation, nd)),
        attr.int('group', num(a.groups)),
      ]);
    },
  });
}

const convTranspose2d = layer({
  op: 'ConvTranspose2d',
  category: 'convolution',
  doc: 'Transposed 2-D convolution (the gradient of Conv2d, "deconvolution"): upsamples [N, C, H, W]; weight [in, out / groups, kH, kW].',
  args: convArgs(2, true),
  params: (a) => [
    ['weight', [num(a.inChannels), num(a.outChannels) / num(a.groups), ...tuple(a.kernelSize, 2)]],
    ...(a.bias !== false ? [['bias', [num(a.outChannels)]] as [string, number[]]] : []),
  ],
  shape([x], a) {
    const sizes = spatialInput('ConvTranspose2d', x, 2);
    if (typeof sizes === 'string') return sizes;
    const problem = channelProblem(x, a);
    if (problem !== null) return problem;
    const [k, s, p, op, d] = [a.kernelSize, a.stride, a.padding, a.outputPadding, a.dilation].map((v) => tuple(v, 2));
    const out: number[] = [];
    for (let i = 0; i < 2; i++) {
      if (op[i] >= Math.max(s[i], d[i])) return `outputPadding ${op[i]} must be smaller than stride ${s[i]} or dilation ${d[i]} along ${AXES[2][i]}`;
      const o = (sizes[i] - 1) * s[i] - 2 * p[i] + d[i] * (k[i] - 1) + op[i] + 1;
      if (o < 1) return `the output would have size ${o} along ${AXES[2][i]} (input ${sizes[i]}, padding ${p[i]} removes too much)`;
      out.push(o);
    }
    return withSpatial(x, num(a.outChannels), out);
  },
  shapeRule: '[N, inChannels, H, W] → [N, outChannels, (H − 1)·s − 2p + d·(k − 1) + outputPadding + 1, (same for W)]',
  summary: convSummary(2),
  onnxOps: 'ConvTranspose',
  onnx(ctx, x, a) {
    const p = tuple(a.padding, 2);
    const b = ctx.tensor('bias');
    const w = tensorOf(ctx, 'weight');
    return ctx.op('ConvTranspose', b ? [x, w, b] : [x, w], [
      attr.ints('kernel_shape', tuple(a.kernelSize, 2)),
      attr.ints('strides', tuple(a.stride, 2)),
      attr.ints('pads', [...p, ...p]),
      attr.ints('output_padding', tuple(a.outputPadding, 2)),
      attr.ints('dilations', tuple(a.dilation, 2)),
      attr.int('group', num(a.groups)),
    ]);
  },
});

export const CONVOLUTIONS: LayerSpec[] = [conv(1), conv(2), convTranspose2d];
