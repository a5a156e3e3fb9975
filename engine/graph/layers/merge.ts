/** Merges: the nodes of a Graph that join several inputs into one. */
import { arg, attr, fmt, normDim, num } from './define';
import type { Dim, MergeSpec } from './types';

const BROADCAST = 'shapes that broadcast (as in PyTorch) → their broadcast shape';

function elementwise(op: 'add' | 'sub' | 'mul', doc: string, symbol: string, onnxOp: string): MergeSpec {
  return {
    op,
    category: 'merge',
    doc,
    args: [],
    merge: true,
    params: () => [],
    buffers: () => [],
    shape(inputs) {
      if (inputs.length < 2) return `${op} needs at least two inputs, got ${inputs.length}`;
      // Broadcasting as in PyTorch, dimension by dimension from the right.
      const rank = Math.max(...inputs.map((s) => s.length));
      const out: Dim[] = [];
      for (let i = 1; i <= rank; i++) {
        let d: Dim = 1;
        for (const s of inputs) {
          const v = s.length - i >= 0 ? s[s.length - i] : 1;
          if (v === 1) continue;
          if (d === 1) d = v;
          else if (d !== v) return `${op}: shapes ${inputs.map(fmt).join(' and ')} do not match (dimension ${-i} is ${d} vs ${v})`;
        }
        out.unshift(d);
      }
      return out;
    },
    shapeRule: BROADCAST,
    onnxOps: onnxOp,
    apply: (xs) => xs.reduce((acc, t) => acc[op](t)),
    tsExpr: (xs) => xs.slice(1).reduce((acc, x) => `${acc}.${op}(${x})`, xs[0]),
    tsImports: [],
    torchExpr: (xs) => xs.join(` ${symbol} `),
    onnx(ctx, xs) {
      let acc = xs[0];
      xs.slice(1).forEach((x, i) => (acc = ctx.op(onnxOp, [acc, x], [], i === xs.length - 2 ? undefined : String(i))));
      return acc;
    },
  };
}

export const MERGES: MergeSpec[] = [
  elementwise('add', 'Elementwise sum of its inputs (x1 + x2).', '+', 'Add'),
  elementwise('sub', 'First input minus the second (x1 - x2).', '-', 'Sub'),
  elementwise('mul', 'Elementwise product of its inputs.', '*', 'Mul'),
  {
    op: 'concat',
    category: 'merge',
    doc: 'Concatenates its inputs along a dimension (torch.cat).',
    args: [arg('dim', 'int', 'dimension to concatenate along', { default: 1 })],
    merge: true,
    params: () => [],
    buffers: () => [],
    shape(inputs, a) {
      if (inputs.length < 2) return `concat needs at least two inputs, got ${inputs.length}`;
      const rank = inputs[0].length;
      const d = normDim(num(a.dim), rank);
      if (d === null) return `dim ${a.dim} is out of range for ${fmt(inputs[0])}`;
      if (inputs.some((s) => s.length !== rank || s.some((v, i) => i !== d && v !== inputs[0][i]))) {
        return `concat along dim ${a.dim}: shapes ${inputs.map(fmt).join(', ')} differ in another dimension`;
      }
      const out = inputs[0].slice();
      out[d] = inputs.some((s) => s[d] === 'N') ? 'N' : inputs.reduce((sum, s) => sum + num(s[d]), 0);
      return out;
    },
    shapeRule: 'shapes equal but along dim → that dimension summed ([N, 4] and [N, 3] → [N, 7])',
    onnxOps: 'Concat',
    apply: (xs, a, ops) => ops.cat(xs, num(a.dim)),
    tsExpr: (xs, a) => `cat([${xs.join(', ')}], ${num(a.dim)})`,
    tsImports: ['cat'],
    torchExpr: (xs, a) => `torch.cat([${xs.join(', ')}], dim=${num(a.dim)})`,
    onnx: (ctx, xs, a) => ctx.op('Concat', xs, [attr.int('axis', num(a.dim))]),
  },
];
