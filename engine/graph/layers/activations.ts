/** Elementwise activations: the same shape out as in, no parameters except PReLU's learned slopes. */
import { activation, arg, attr, fmt, keepShape, layer, normDim, num, SAME, tensorOf } from './define';
import type { LayerSpec, OnnxContext } from './types';

const dimArg = arg('dim', 'int', 'dimension to normalise', { default: 1, always: true });
const softmaxShape: LayerSpec['shape'] = ([x], a) =>
  normDim(num(a.dim), x.length) === null ? `dim ${a.dim} is out of range for input ${fmt(x)}` : x;
const unary = (opType: string) => (ctx: OnnxContext, x: string) => ctx.op(opType, [x]);

/** softplus(x) = log(1 + e^x), which ONNX has as an operator (beta 1, no threshold). */
const softplus = (ctx: OnnxContext, x: string, suffix?: string) => ctx.op('Softplus', [x], [], suffix);

export const ACTIVATIONS: LayerSpec[] = [
  activation('ReLU', 'Rectified linear unit: max(0, x).', 'Relu', unary('Relu')),
  activation(
    'LeakyReLU',
    'max(0, x) + negativeSlope·min(0, x).',
    'LeakyRelu',
    (ctx, x, a) => ctx.op('LeakyRelu', [x], [attr.float('alpha', num(a.negativeSlope))]),
    [arg('negativeSlope', 'number', 'slope for negative inputs', { default: 0.01, min: 0 })],
  ),
  activation('Tanh', 'Hyperbolic tangent.', 'Tanh', unary('Tanh')),
  activation('Sigmoid', 'Logistic sigmoid 1 / (1 + e^-x).', 'Sigmoid', unary('Sigmoid')),
  activation('GELU', 'Gaussian error linear unit (exact, erf-based).', 'Erf-based: 0.5·x·(1 + Erf(x/√2))', (ctx, x) => {
    // Exact (erf) GELU, as torch.nn.GELU() and the engine compute it; opset 17 has no Gelu op.
    const e = ctx.op('Erf', [ctx.op('Div', [x, ctx.scalar(Math.SQRT2)], [], 'scaled')], [], 'erf');
    const onePlus = ctx.op('Add', [e, ctx.scalar(1)], [], '1p');
    return ctx.op('Mul', [ctx.op('Mul', [x, onePlus], [], 'x'), ctx.scalar(0.5)]);
  }),
  {
    ...activation(
      'Softmax',
      'Normalises a dimension into probabilities.',
      'Softmax',
      (ctx, x, a) => ctx.op('Softmax', [x], [attr.int('axis', num(a.dim))]),
      [dimArg],
    ),
    shape: softmaxShape,
    shapeRule: `${SAME} (dim must exist)`,
  },
  {
    ...activation(
      'LogSoftmax',
      'log(softmax(x)), computed stably; pair with NLLLoss.',
      'LogSoftmax',
      (ctx, x, a) => ctx.op('LogSoftmax', [x], [attr.int('axis', num(a.dim))]),
      [dimArg],
    ),
    shape: softmaxShape,
    shapeRule: `${SAME} (dim must exist)`,
  },
  {
    ...activation('Step', 'Binary threshold: 1 where x >= 0, else 0 (passes no gradient; not in torch.nn).', 'GreaterOrEqual + Cast', (ctx, x) => {
      const ge = ctx.op('GreaterOrEqual', [x, ctx.scalar(0)], [], 'ge');
      return ctx.op('Cast', [ge], [attr.int('to', 1 /* FLOAT */)]);
    }),
    torchClass: 'Step',
    torchHelper: `class Step(nn.Module):
    """Binary threshold: 1 where x >= 0, else 0 (NN Blocks' Step; not part of torch.nn)."""

    def forward(self, x):
        return (x >= 0).to(x.dtype)`,
  },
  activation('SiLU', 'Sigmoid linear unit (swish): x·sigmoid(x).', 'Sigmoid + Mul', (ctx, x) =>
    ctx.op('Mul', [x, ctx.op('Sigmoid', [x], [], 'sigmoid')]),
  ),
  activation(
    'ELU',
    'Exponential linear unit: x for x > 0, alpha·(e^x − 1) otherwise.',
    'Elu',
    (ctx, x, a) => ctx.op('Elu', [x], [attr.float('alpha', num(a.alpha))]),
    [arg('alpha', 'number', 'the value the negative side tends to', { default: 1 })],
  ),
  activation(
    'Softplus',
    'Smooth ReLU: log(1 + e^(beta·x)) / beta, and x itself where beta·x > threshold.',
    'Softplus (with Mul, Div, Greater, Where for beta and threshold)',
    (ctx, x, a) => {
      const beta = num(a.beta);
      const bx = beta === 1 ? x : ctx.op('Mul', [x, ctx.scalar(beta)], [], 'bx');
      const soft = beta === 1 ? softplus(ctx, bx, 'soft') : ctx.op('Div', [softplus(ctx, bx, 'sp'), ctx.scalar(beta)], [], 'soft');
      return ctx.op('Where', [ctx.op('Greater', [bx, ctx.scalar(num(a.threshold))], [], 'linear'), x, soft]);
    },
    [arg('beta', 'number', 'sharpness', { default: 1 }), arg('threshold', 'number', 'above beta·x = threshold the layer is linear', { default: 20 })],
  ),
  activation('Hardswish', 'x·ReLU6(x + 3) / 6, a cheap swish.', 'HardSwish', unary('HardSwish')),
  // ONNX's HardSigmoid is max(0, min(1, alpha·x + beta)): beta's default 0.5 and alpha 1/6 are PyTorch's.
  activation('Hardsigmoid', 'ReLU6(x + 3) / 6: a piecewise-linear sigmoid.', 'HardSigmoid', (ctx, x) =>
    ctx.op('HardSigmoid', [x], [attr.float('alpha', 1 / 6)]),
  ),
  activation('Mish', 'x·tanh(softplus(x)).', 'Softplus + Tanh + Mul', (ctx, x) =>
    ctx.op('Mul', [x, ctx.op('Tanh', [softplus(ctx, x, 'softplus')], [], 'tanh')]),
  ),
  activation('ReLU6', 'min(max(0, x), 6).', 'Clip', (ctx, x) => ctx.op('Clip', [x, ctx.scalar(0), ctx.scalar(6)])),
  layer({
    op: 'PReLU',
    category: 'activation',
    doc: 'Leaky ReLU with learned negative slopes: one for all channels, or one per channel (dimension 1).',
    args: [
      arg('numParameters', 'int', 'slopes to learn: 1, or the number of channels', { default: 1, min: 1 }),
      arg('init', 'number', 'initial slope', { default: 0.25 }),
    ],
    params: (a) => [['weight', [num(a.numParameters)]]],
    shape([x], a) {
      const n = num(a.numParameters);
      if (n !== 1 && (x.length < 2 || x[1] !== n))
        return `has ${n} slopes, one per channel, but receives ${x.length < 2 ? 'no channel dimension' : `${x[1]} channels`} (input shape ${fmt(x)})`;
      return keepShape([x]);
    },
    shapeRule: `${SAME} (numParameters is 1 or the channels, dimension 1)`,
    keepsShape: true,
    onnxOps: 'PRelu',
    onnx(ctx, x, a, input) {
      const w = tensorOf(ctx, 'weight');
      // ONNX broadcasts the slope from the right: per-channel slopes become [C, 1, ..., 1].
      const n = num(a.numParameters);
      const slope =
        n === 1 || input.length <= 2 ? w : ctx.op('Reshape', [w, ctx.int64s([n, ...input.slice(2).map(() => 1)], 'slope_shape')], [], 'slope');
      return ctx.op('PRelu', [x, slope]);
    },
  }),
];
