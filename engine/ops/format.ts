import type { Tensor } from '../tensor_core';

/** PyTorch-like printing: `tensor([[0.1000, 0.2000]], requiresGrad=true)`, abbreviated past 1000 values. */
export function formatTensor(t: Tensor): string {
  const digits = 4;
  const fmt = (v: number) => (Number.isInteger(v) && Math.abs(v) < 1e6 ? `${v}.` : v.toFixed(digits));
  const abbreviate = t.data.length > 1000;
  const render = (dim: number, offset: number, indent: string): string => {
    if (t.shape.length === 0) return fmt(t.data[0]);
    const n = t.shape[dim];
    let stride = 1;
    for (let i = dim + 1; i < t.shape.length; i++) stride *= t.shape[i];
    const idx = abbreviate && n > 6 ? [0, 1, 2, -1, n - 3, n - 2, n - 1] : Array.from({ length: n }, (_, i) => i);
    const last = dim === t.shape.length - 1;
    const parts = idx.map((i) => (i < 0 ? '...' : last ? fmt(t.data[offset + i]) : render(dim + 1, offset + i * stride, indent + ' ')));
    return `[${parts.join(last ? ', ' : `,\n${indent} `)}]`;
  };
  const body = render(0, 0, '       ');
  const extras: string[] = [];
  if (t._ctx !== null) extras.push(`gradFn=<${t._ctx.name}>`);
  else if (t.requiresGrad) extras.push('requiresGrad=true');
  return `tensor(${body}${extras.length ? `, ${extras.join(', ')}` : ''})`;
}
