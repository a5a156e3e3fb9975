/** Linear: the fully connected layer. */
import { arg, attr, fmt, layer, num, tensorOf } from './define';
import type { LayerSpec } from './types';

export const LINEAR: LayerSpec[] = [
  layer({
    op: 'Linear',
    category: 'linear',
    doc: 'Fully connected layer y = x·Wᵀ + b, weight [out, in].',
    args: [
      arg('inFeatures', 'int', 'size of each input sample', { required: true, min: 1, fromInput: 'features' }),
      arg('outFeatures', 'int', 'size of each output sample', { required: true, min: 1 }),
      arg('bias', 'bool', 'learn an additive bias', { default: true, option: true }),
    ],
    params: (a) => [
      ['weight', [num(a.outFeatures), num(a.inFeatures)]],
      ...(a.bias !== false ? [['bias', [num(a.outFeatures)]] as [string, number[]]] : []),
    ],
    shape([x], a) {
      if (x.length < 2) return `Linear needs at least [N, features] input, got ${fmt(x)}`;
      const last = x[x.length - 1];
      if (last !== a.inFeatures) return `expects ${a.inFeatures} input features but receives ${last} (input shape ${fmt(x)})`;
      return [...x.slice(0, -1), num(a.outFeatures)];
    },
    shapeRule: '[N, *, inFeatures] → [N, *, outFeatures]',
    summary: (a) => `${a.inFeatures} → ${a.outFeatures}${a.bias === false ? ', no bias' : ''}`,
    // The engine's Linear keeps a null bias when it has none: the flag is whether there is one.
    argsOf: (m) => ({
      inFeatures: num(Reflect.get(m, 'inFeatures')),
      outFeatures: num(Reflect.get(m, 'outFeatures')),
      ...(Reflect.get(m, 'bias') === null ? { bias: false } : {}),
    }),
    onnxOps: 'Gemm (rank-2 input) or MatMul + Add',
    onnx(ctx, x, _a, input) {
      const w = tensorOf(ctx, 'weight');
      const b = ctx.tensor('bias');
      if (input.length === 2) return ctx.op('Gemm', b ? [x, w, b] : [x, w], [attr.int('transB', 1)]);
      const wt = ctx.op('Transpose', [w], [attr.ints('perm', [1, 0])], 'wT');
      const mm = ctx.op('MatMul', [x, wt], [], b ? 'mm' : undefined);
      return b ? ctx.op('Add', [mm, b]) : mm;
    },
  }),
];
