/** The render workload: a 330-node model, `groups` nested Sequentials of `perGroup` layers (the render test and bench/limits.ts). */
export function bigModel(groups = 30, perGroup = 10): string {
  const children = Array.from({ length: groups }, (_, g) => ({
    id: `g${g}`,
    op: 'Sequential',
    children: Array.from({ length: perGroup }, (_, i) =>
      i % 2 === 0 ? { id: `g${g}_fc${i}`, op: 'Linear', args: { inFeatures: 16, outFeatures: 16 } } : { id: `g${g}_act${i}`, op: 'ReLU' },
    ),
  }));
  return JSON.stringify({ format: 'nnblocks.model/1', name: 'big', input: { shape: [16] }, model: { id: 'net', op: 'Sequential', children } });
}
