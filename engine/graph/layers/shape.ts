/** Layers that move values around without learning anything: flatten, unflatten, padding, resizing. */
import { arg, attr, fmt, keepShape, layer, normDim, num, SAME, tuple } from './define';
import type { Dim, LayerSpec, Shape } from './types';

const product = (dims: Dim[]): Dim => (dims.includes('N') ? 'N' : dims.reduce<number>((p, d) => p * num(d), 1));
/** ONNX Reshape's target: 0 keeps the (symbolic) batch dimension as it is. */
const reshapeTarget = (out: Shape) => out.map((d, i) => (d === 'N' || i === 0 ? 0 : d));

export const SHAPE_LAYERS: LayerSpec[] = [
  layer({
    op: 'Flatten',
    category: 'shape',
    doc: 'Flattens dimensions startDim..endDim into one (by default everything but the batch).',
    args: [arg('startDim', 'int', 'first dimension to flatten', { default: 1 }), arg('endDim', 'int', 'last dimension to flatten', { default: -1 })],
    shape([x], a) {
      const s = normDim(num(a.startDim), x.length);
      const e = normDim(num(a.endDim), x.length);
      if (s === null || e === null || s > e) return `cannot flatten dimensions ${a.startDim}..${a.endDim} of ${fmt(x)}`;
      return [...x.slice(0, s), product(x.slice(s, e + 1)), ...x.slice(e + 1)];
    },
    shapeRule: '[N, d1, …, dk] → dimensions startDim..endDim multiplied into one ([N, 1, 28, 28] → [N, 784])',
    onnxOps: 'Reshape',
    onnx(ctx, x, a, input) {
      // 0 keeps a leading dimension as is (the symbolic batch), -1 takes the flattened span.
      const rank = input.length;
      const st = normDim(num(a.startDim), rank) ?? 0;
      const en = normDim(num(a.endDim), rank) ?? rank - 1;
      const target = [...input.slice(0, st).map(() => 0), -1, ...input.slice(en + 1).map((d) => (d === 'N' ? 0 : d))];
      return ctx.op('Reshape', [x, ctx.int64s(target, 'shape')]);
    },
  }),
  layer({
    op: 'Unflatten',
    category: 'shape',
    doc: 'Splits dimension dim into unflattenedSize ([N, 784] → [N, 1, 28, 28]); the inverse of Flatten.',
    args: [
      arg('dim', 'int', 'dimension to split', { default: 1 }),
      arg('unflattenedSize', 'ints', 'the sizes it becomes, e.g. [1, 28, 28]', { required: true, min: 1 }),
    ],
    shape([x], a) {
      const d = normDim(num(a.dim), x.length);
      if (d === null) return `dim ${a.dim} is out of range for input ${fmt(x)}`;
      if (x[d] === 'N') return 'cannot unflatten the batch dimension';
      const sizes = tuple(a.unflattenedSize, 1);
      const p = sizes.reduce((s, v) => s * v, 1);
      if (p !== x[d]) return `cannot split dimension ${d} of size ${x[d]} into [${sizes.join(', ')}] (${p} values)`;
      return [...x.slice(0, d), ...sizes, ...x.slice(d + 1)];
    },
    shapeRule: '[N, …, d, …] → d split into unflattenedSize (their product must be d)',
    onnxOps: 'Reshape',
    onnx: (ctx, x, _a, _input, out) => ctx.op('Reshape', [x, ctx.int64s(reshapeTarget(out), 'shape')]),
  }),
  layer({
    op: 'ZeroPad2d',
    category: 'shape',
    doc: 'Pads the last two dimensions with zeros: one number for every side, or [left, right, top, bottom].',
    args: [arg('padding', 'size', 'zeros to add: n, or [left, right, top, bottom]', { required: true, arity: 4, min: 0 })],
    shape([x], a) {
      if (x.length < 3) return `ZeroPad2d needs [N, C, H, W] or [N, H, W] input, got ${fmt(x)}`;
      const [l, r, t, b] = tuple(a.padding, 4);
      const h = num(x[x.length - 2]) + t + b;
      const w = num(x[x.length - 1]) + l + r;
      return [...x.slice(0, -2), h, w];
    },
    shapeRule: '[N, C, H, W] → [N, C, H + top + bottom, W + left + right]',
    onnxOps: 'Pad',
    onnx(ctx, x, a, input) {
      const [l, r, t, b] = tuple(a.padding, 4);
      const lead = input.slice(0, -2).map(() => 0);
      return ctx.op('Pad', [x, ctx.int64s([...lead, t, l, ...lead, b, r], 'pads')], [attr.string('mode', 'constant')]);
    },
  }),
  layer({
    op: 'Upsample',
    category: 'shape',
    doc: 'Resizes [N, C, H, W] images to size [h, w] or by scaleFactor, by nearest neighbour or bilinear interpolation.',
    args: [
      arg('size', 'size', 'output size h or [h, w] (or give scaleFactor)', { arity: 2, min: 1, option: true }),
      arg('scaleFactor', 'number', 'multiplier of height and width (or give size)', { min: 0, option: true }),
      arg('mode', 'enum', 'interpolation', { default: 'nearest', options: ['nearest', 'bilinear'], option: true }),
      // No default: PyTorch refuses align_corners (even False) with nearest.
      arg('alignCorners', 'bool', 'bilinear only: align the corner pixels of input and output (default false)', { option: true }),
    ],
    shape([x], a) {
      if (x.length !== 4) return `Upsample takes [N, C, H, W] input, got ${fmt(x)}`;
      if ((a.size === undefined) === (a.scaleFactor === undefined)) return 'give exactly one of size and scaleFactor';
      if (a.alignCorners !== undefined && a.mode !== 'bilinear') return `alignCorners applies to mode 'bilinear' only (mode is '${a.mode}')`;
      if (a.size !== undefined) return [x[0], x[1], ...tuple(a.size, 2)];
      const out = [num(x[2]), num(x[3])].map((d) => Math.floor(d * num(a.scaleFactor)));
      if (out.some((d) => d < 1)) return `scaleFactor ${a.scaleFactor} makes ${fmt(x)} smaller than one pixel`;
      return [x[0], x[1], ...out];
    },
    shapeRule: '[N, C, H, W] → [N, C, h, w] (size) or [N, C, ⌊H·s⌋, ⌊W·s⌋] (scaleFactor)',
    onnxOps: 'Resize',
    onnx(ctx, x, a, input, out) {
      const scales =
        a.size !== undefined ? [1, 1, num(out[2]) / num(input[2]), num(out[3]) / num(input[3])] : [1, 1, num(a.scaleFactor), num(a.scaleFactor)];
      const nearest = a.mode !== 'bilinear';
      const attrs = nearest
        ? [attr.string('mode', 'nearest'), attr.string('coordinate_transformation_mode', 'asymmetric'), attr.string('nearest_mode', 'floor')]
        : [
            attr.string('mode', 'linear'),
            attr.string('coordinate_transformation_mode', a.alignCorners === true ? 'align_corners' : 'pytorch_half_pixel'),
          ];
      // Inputs X, roi (unused: empty), scales.
      return ctx.op('Resize', [x, '', ctx.floats(scales, 'scales')], attrs);
    },
  }),
  layer({
    op: 'Identity',
    category: 'shape',
    doc: 'Passes its input through unchanged.',
    shape: keepShape,
    shapeRule: SAME,
    keepsShape: true,
    onnxOps: 'Identity',
    onnx: (ctx, x) => ctx.op('Identity', [x]),
  }),
];
