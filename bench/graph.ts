/**
 * The document pipeline on a 500-node model: validation (JSON text → zod) + shape inference and error
 * analysis + TypeScript and PyTorch generation must take under 50 ms together (issue 3). Prettier
 * formatting of the TypeScript is timed separately: it is an optional last step, not code generation.
 *
 *   npx tsx bench/graph.ts        (or from bench/index.ts: `graphBench()`)
 */
import { performance } from 'node:perf_hooks';
import {
  validateDocument,
  analyzeDocument,
  generateTypeScriptRaw,
  generatePyTorch,
  formatTypeScript,
  serializeDocument,
  type ModelDocument,
} from '../engine/graph';

/**
 * A model of `target` nodes that exercises every part of the pipeline: a Graph with two-branch residual
 * stages (Sequential chains, add merges), a reusable block instantiated in every stage, a shared layer.
 */
export function bigDocument(target = 500): ModelDocument {
  const width = 16;
  const nodes: Record<string, unknown>[] = [];
  const edges: Record<string, unknown>[] = [];
  let count = 1; // the Graph itself
  let prev = 'x';
  let e = 0;
  const edge = (from: string, to: string, port?: number) => edges.push({ id: `e${e++}`, from, to, ...(port === undefined ? {} : { port }) });
  nodes.push({ id: 'stem', op: 'Linear', args: { inFeatures: 8, outFeatures: width } });
  edge('x', 'stem');
  prev = 'stem';
  count++;
  for (let s = 0; count + 2 < target; s++) {
    // Branch a: a Sequential of Linear/Tanh/Linear; branch b: a block instance; merged by add.
    const a = `s${s}_a`;
    nodes.push({
      id: a,
      op: 'Sequential',
      children: [
        { id: `${a}_fc1`, op: 'Linear', args: { inFeatures: width, outFeatures: width } },
        { id: `${a}_act`, op: 'Tanh' },
        { id: `${a}_fc2`, op: 'Linear', args: { inFeatures: width, outFeatures: width } },
      ],
    });
    nodes.push({ id: `s${s}_b`, op: 'Block', block: 'unit' });
    nodes.push({ id: `s${s}_sum`, op: 'add' });
    nodes.push({
      id: `s${s}_post`,
      op: 'Sequential',
      children: [
        { id: `s${s}_relu`, op: 'ReLU' },
        { id: `s${s}_tied`, op: 'Shared', ref: 'stem_tie' },
        { id: `s${s}_drop`, op: 'Dropout', args: { p: 0.1 } },
      ],
    });
    edge(prev, a);
    edge(prev, `s${s}_b`);
    edge(a, `s${s}_sum`, 0);
    edge(`s${s}_b`, `s${s}_sum`, 1);
    edge(`s${s}_sum`, `s${s}_post`);
    prev = `s${s}_post`;
    // Block instances count their body (4 nodes) too: what analysis and generation walk.
    count += 4 + 1 + 4 + 1 + 4;
  }
  nodes.push({ id: 'stem_tie', op: 'Linear', args: { inFeatures: width, outFeatures: width } });
  nodes.push({ id: 'head', op: 'Linear', args: { inFeatures: width, outFeatures: 1 } });
  // stem_tie is used only through Shared nodes; give it a place in the flow so it is not dangling.
  edge(prev, 'stem_tie');
  edge('stem_tie', 'head');
  return {
    format: 'nnblocks.model/1',
    name: 'big',
    input: { shape: [8] },
    model: { id: 'g', op: 'Graph', className: 'Big', inputs: ['x'], nodes, edges, outputs: ['head'] },
    blocks: {
      unit: {
        body: {
          id: 'unit_body',
          op: 'Sequential',
          children: [
            { id: 'u_fc', op: 'Linear', args: { inFeatures: width, outFeatures: width } },
            { id: 'u_act', op: 'ReLU' },
            { id: 'u_fc2', op: 'Linear', args: { inFeatures: width, outFeatures: width } },
          ],
        },
      },
    },
  } as unknown as ModelDocument;
}

/** Counts the nodes analysis visits: every node in the model, with each block instance's body. */
export function countNodes(doc: ModelDocument): number {
  const walk = (n: Record<string, unknown>): number => {
    let c = 1;
    for (const k of ['children', 'nodes'] as const) for (const ch of (n[k] as Record<string, unknown>[] | undefined) ?? []) c += walk(ch);
    if (n.op === 'Block') c += walk((doc.blocks ?? {})[n.block as string].body as unknown as Record<string, unknown>);
    return c;
  };
  return walk(doc.model as unknown as Record<string, unknown>);
}

export interface GraphBenchResult {
  nodes: number;
  validateMs: number;
  analyzeMs: number;
  typescriptMs: number;
  prettierMs: number;
  pytorchMs: number;
  /** Validate + analyse + both generators, the TypeScript formatted with prettier (the figure). */
  totalMs: number;
  /** The same without prettier's pass. */
  unformattedMs: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function graphBench(runs = 21): Promise<GraphBenchResult> {
  const text = serializeDocument(bigDocument(500));
  const times = {
    v: [] as number[],
    a: [] as number[],
    t: [] as number[],
    f: [] as number[],
    p: [] as number[],
    all: [] as number[],
    raw: [] as number[],
  };
  let doc: ModelDocument | null = null;
  for (let i = 0; i < runs + 3; i++) {
    const t0 = performance.now();
    const r = validateDocument(text);
    if (!r.ok) throw new Error(`the benchmark document is invalid: ${JSON.stringify(r.issues.slice(0, 3))}`);
    const t1 = performance.now();
    const a = analyzeDocument(r.document);
    const errors = a.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) throw new Error(`the benchmark document has errors: ${JSON.stringify(errors.slice(0, 3))}`);
    const t2 = performance.now();
    const raw = generateTypeScriptRaw(r.document);
    const t3 = performance.now();
    await formatTypeScript(raw);
    const t4 = performance.now();
    generatePyTorch(r.document, { training: true });
    const t5 = performance.now();
    doc = r.document;
    if (i < 3) continue; // warm-up
    times.v.push(t1 - t0);
    times.a.push(t2 - t1);
    times.t.push(t3 - t2);
    times.f.push(t4 - t3);
    times.p.push(t5 - t4);
    times.all.push(t5 - t0);
    times.raw.push(t5 - t0 - (t4 - t3));
  }
  return {
    nodes: countNodes(doc as ModelDocument),
    validateMs: median(times.v),
    analyzeMs: median(times.a),
    typescriptMs: median(times.t),
    prettierMs: median(times.f),
    pytorchMs: median(times.p),
    totalMs: median(times.all),
    unformattedMs: median(times.raw),
  };
}
