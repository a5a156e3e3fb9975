// The rule of issue 15, checked on 2,000 seeded mutations of the shipped documents per run: whatever
// validateDocument and analyzeDocument accept builds, runs a forward pass, generates PyTorch and
// TypeScript and exports to ONNX; whatever they refuse gets a short message naming the node, the edge or
// the JSON path, and neither ever throws.
//
// To stay well under two minutes on two cores, the heavy checks are sampled (a seeded subset, the same
// every run): every accepted document is built, run on a batch, and put through both generators and the
// ONNX encoder in memory; of those, up to PY_SAMPLE are compiled by ONE `python3 -m py_compile` process,
// up to TS_SAMPLE by ONE `tsc --noEmit`, and up to ONNX_SAMPLE are loaded and run by onnxruntime (its
// graph resolution is this repository's ONNX checker: the Python `onnx` package is not installed here).
// Accepted documents bigger than RUN_LIMIT parameters are checked through codegen only (no allocation)
// and must carry the size warning when above the default limit. A failure prints the seed, the
// document's index and its mutations, so it reproduces.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import {
  validateDocument,
  analyzeDocument,
  buildModel,
  generatePyTorch,
  generateTypeScriptRaw,
  toOnnxBytes,
  DEFAULT_WARN_PARAMS,
  type ModelDocument,
} from '../../engine/graph';
import { LAYERS } from '../../engine/graph/catalogue';
import { manualSeed, randn, noGrad } from '../../engine';
import { seeded } from '../helpers/seeded';
import { PYTHON, needsPyTorch } from '../helpers/system';
import { loadCases, inputNames, REPO } from './helpers';

// NNB_FUZZ_SEED explores other documents (a failure there reproduces with the same value).
const SEED = Number(process.env.NNB_FUZZ_SEED ?? 15);
const COUNT = 2000;
const PY_SAMPLE = 200;
const TS_SAMPLE = 40;
const ONNX_SAMPLE = 120;
/** Documents above this many parameters are not allocated in this test (the analysis's size says why). */
const RUN_LIMIT = 3_000_000;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };
const isObj = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const TRICKY_NAMES = [
  'constructor',
  'toString',
  'hasOwnProperty',
  '__proto__',
  'valueOf',
  'prototype',
  'a\nb',
  'a\r\nb',
  "it's",
  'say "hi"',
  'back\\slash',
  'class',
  'self',
  'forward',
  'None',
  'x',
  'x',
  '',
  ' ',
  'a.b',
  'line\u2028sep',
  'emoji 🎉',
  'lone \ud800',
  'tab\there',
  'nul\u0000',
  '0',
  '12',
  'ñandú',
  'x'.repeat(70),
  'y'.repeat(100_000),
  'block 0',
  '*/',
  '"""',
  "'''",
  '#',
  '${x}',
  '`tick`',
  'N',
  'Step',
  'nn',
  'torch',
  'createModel',
  'create_model',
];
const TRICKY_NUMBERS = [0, 1, 2, 3, -1, 0.5, 7, 16, 1e6, 1e12, 1e21, 1e308, -1e308, 1e-7, 2 ** 32, 123456789, 0.1, 100000, 50000];

/** Every node object of a document, with the array holding it (null for a root) and its index there. */
function nodesOf(doc: Obj): { node: Obj; list: Json[] | null; index: number; parent: Obj | null }[] {
  const out: { node: Obj; list: Json[] | null; index: number; parent: Obj | null }[] = [];
  const visit = (n: Json, list: Json[] | null, index: number, parent: Obj | null, depth: number) => {
    if (!isObj(n) || depth > 60) return;
    out.push({ node: n, list, index, parent });
    for (const key of ['children', 'nodes']) {
      const l = n[key];
      if (Array.isArray(l)) l.forEach((c, i) => visit(c, l, i, n, depth + 1));
    }
  };
  visit(doc.model, null, 0, null, 0);
  if (isObj(doc.blocks)) for (const def of Object.values(doc.blocks)) if (isObj(def)) visit(def.body, null, 0, null, 0);
  return out;
}

/** Every number and string inside a JSON value, as setters (for the training section). */
function leavesOf(v: Json, out: { kind: 'number' | 'string'; set: (x: Json) => void }[] = []): typeof out {
  if (Array.isArray(v))
    v.forEach((x, i) =>
      typeof x === 'number' || typeof x === 'string' ? out.push({ kind: typeof x as 'number', set: (y) => (v[i] = y) }) : leavesOf(x, out),
    );
  else if (isObj(v))
    for (const [k, x] of Object.entries(v)) {
      if (typeof x === 'number' || typeof x === 'string') out.push({ kind: typeof x as 'number', set: (y) => (v[k] = y) });
      else leavesOf(x, out);
    }
  return out;
}

function mutator(rand: () => number) {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const ops = [...LAYERS.map((l) => l.op), 'Sequential', 'Graph', 'Block', 'Shared', 'Linearr', 'relu', 'x'.repeat(200)];
  const anyNumber = () => (rand() < 0.6 ? pick(TRICKY_NUMBERS) : Math.floor(rand() * 64));
  const argValue = (): Json => {
    const r = rand();
    if (r < 0.55) return anyNumber();
    if (r < 0.65) return rand() < 0.5;
    if (r < 0.8) return pick(['same', 'valid', 'mean', 'sum', 'none', 'zeros', 'reflect', pick(TRICKY_NAMES)]);
    return Array.from({ length: 1 + Math.floor(rand() * 4) }, anyNumber);
  };
  const mutations: { name: string; apply(doc: Obj): boolean }[] = [
    { name: 'rename a node', apply: (d) => ((pick(nodesOf(d)).node.name = pick(TRICKY_NAMES)), true) },
    { name: 're-id a node', apply: (d) => ((pick(nodesOf(d)).node.id = pick([...TRICKY_NAMES, ...nodesOf(d).map((n) => String(n.node.id))])), true) },
    {
      name: 'change an op',
      apply: (d) => {
        const n = pick(nodesOf(d)).node;
        n.op = pick(ops);
        return true;
      },
    },
    {
      name: 'set an argument',
      apply: (d) => {
        const layers = nodesOf(d).filter((n) => LAYERS.some((l) => l.op === n.node.op));
        if (layers.length === 0) return false;
        const n = pick(layers).node;
        const spec = LAYERS.find((l) => l.op === n.op)!;
        const args = isObj(n.args) ? n.args : (n.args = {});
        const name = spec.args.length > 0 && rand() < 0.9 ? pick(spec.args).name : pick(['bogus', 'constructor', '__proto__', 'toString']);
        if (rand() < 0.15) delete args[name];
        else args[name] = argValue();
        return true;
      },
    },
    {
      name: 'nest a node in Sequentials',
      apply: (d) => {
        const at = pick(nodesOf(d));
        const levels = rand() < 0.1 ? 28 + Math.floor(rand() * 10) : 1 + Math.floor(rand() * 3);
        let wrapped: Json = at.node;
        for (let i = 0; i < levels; i++)
          wrapped = { id: `wrap${i}_${Math.floor(rand() * 1e6)}`, op: 'Sequential', children: [wrapped], ...(rand() < 0.5 ? { name: `w${i}` } : {}) };
        if (at.list === null) d.model = wrapped;
        else at.list[at.index] = wrapped;
        return true;
      },
    },
    {
      name: 'insert a merge into a chain',
      apply: (d) => {
        const seqs = nodesOf(d).filter((n) => Array.isArray(n.node.children));
        if (seqs.length === 0) return false;
        const s = pick(seqs).node.children as Json[];
        s.splice(Math.floor(rand() * (s.length + 1)), 0, { id: `m${Math.floor(rand() * 1e6)}`, op: pick(['add', 'concat', 'mul', 'sub']) });
        return true;
      },
    },
    {
      name: 'duplicate or drop a node',
      apply: (d) => {
        const withList = nodesOf(d).filter((n) => n.list !== null);
        if (withList.length === 0) return false;
        const n = pick(withList);
        if (rand() < 0.5) n.list!.splice(n.index, 1);
        else n.list!.splice(n.index, 0, structuredClone(n.node));
        return true;
      },
    },
    {
      name: 'rewire a Graph',
      apply: (d) => {
        const graphs = nodesOf(d).filter((n) => Array.isArray(n.node.edges));
        if (graphs.length === 0) return false;
        const g = pick(graphs).node;
        const inputs = g.inputs as Json[];
        const ids = [...(g.nodes as Obj[]).map((n) => n.id), ...inputs, pick(TRICKY_NAMES)];
        const edges = g.edges as Obj[];
        const r = rand();
        if (r < 0.25 && inputs.length > 0) inputs.push(rand() < 0.7 ? inputs[0] : pick(TRICKY_NAMES));
        else if (r < 0.5 && edges.length > 0) pick(edges)[rand() < 0.5 ? 'from' : 'to'] = pick(ids);
        else if (r < 0.65 && edges.length > 0) pick(edges).port = Math.floor(rand() * 3);
        else if (r < 0.8) edges.push({ id: `e${Math.floor(rand() * 1e6)}`, from: pick(ids), to: pick(ids) });
        else if (r < 0.9 && edges.length > 0) edges.splice(Math.floor(rand() * edges.length), 1);
        else g.outputs = [pick(ids)];
        return true;
      },
    },
    {
      name: 'point a Block or Shared elsewhere',
      apply: (d) => {
        const n = pick(nodesOf(d)).node;
        const blockNames = isObj(d.blocks) ? Object.keys(d.blocks) : [];
        if (rand() < 0.5)
          Object.assign(n, { op: 'Block', block: pick([...blockNames, 'constructor', 'toString', 'hasOwnProperty', '__proto__', 'missing']) });
        else Object.assign(n, { op: 'Shared', ref: pick([...nodesOf(d).map((m) => m.node.id), 'constructor', 'nowhere']) });
        delete n.children;
        delete n.args;
        return true;
      },
    },
    {
      name: 'change the input shape',
      apply: (d) => {
        const shape = (d.input as Obj).shape as Json[];
        const r = rand();
        if (r < 0.3) shape.push(pick([1, 2, 3, 4]));
        else if (r < 0.5 && shape.length > 1) shape.pop();
        else shape[Math.floor(rand() * shape.length)] = pick([1, 2, 3, 5, 8, 28, 100000, 1e12]);
        return true;
      },
    },
    {
      name: 'change the training section',
      apply: (d) => {
        if (!isObj(d.training)) return false;
        const leaves = leavesOf(d.training);
        if (leaves.length === 0) return false;
        const leaf = pick(leaves);
        leaf.set(leaf.kind === 'number' ? pick([1e21, 1e308, 1e-300, 0.1, 3, 0, 1e100, 2 ** 53 + 2]) : pick(TRICKY_NAMES));
        return true;
      },
    },
    { name: 'change the description', apply: (d) => ((d.description = pick(TRICKY_NAMES)), true) },
    {
      name: 'name a block oddly',
      apply: (d) => {
        if (!isObj(d.blocks) || Object.keys(d.blocks).length === 0) return false;
        const [name, def] = pick(Object.entries(d.blocks));
        delete d.blocks[name];
        d.blocks[pick(TRICKY_NAMES)] = def;
        return true;
      },
    },
  ];
  /** 1 to 3 mutations of a copy of `base`: the document and what was done. */
  return (base: Obj): { doc: Obj; done: string[] } => {
    const doc = structuredClone(base);
    const done: string[] = [];
    const n = 1 + Math.floor(rand() * 3);
    for (let tries = 0; done.length < n && tries < 10; tries++) {
      const m = pick(mutations);
      if (m.apply(doc)) done.push(m.name);
    }
    return { doc, done };
  };
}

interface Accepted {
  index: number;
  doc: ModelDocument;
  python: string;
  typescript: string;
  onnx: Uint8Array | null;
  output: number[] | null;
}

const dir = mkdtempSync(join(tmpdir(), 'nnb-fuzz-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const accepted: Accepted[] = [];
const counts = { refusedBySchema: 0, refusedByAnalysis: 0, accepted: 0, run: 0, tooBigToRun: 0, notExportable: 0 };

test(`${COUNT} mutated documents: each is refused with messages naming its node or path, or builds, runs, generates code and exports`, async (t) => {
  const bases = loadCases().map((c) => JSON.parse(c.text) as Obj);
  const rand = seeded(SEED);
  const mutate = mutator(rand);
  manualSeed(SEED);
  for (let index = 0; index < COUNT; index++) {
    const { doc: value, done } = mutate(bases[index % bases.length]);
    const text = JSON.stringify(value, null, 2);
    const where = `seed ${SEED}, document ${index} (${String(value.name)}: ${done.join(', ')})`;
    const v = validateDocument(text);
    if (!v.ok) {
      counts.refusedBySchema++;
      assert.ok(v.issues.length > 0, where);
      for (const i of v.issues) {
        assert.ok(i.message.length > 0 && i.message.length < 2000, `${where}: message of ${i.message.length} characters`);
        assert.ok(
          i.path !== '' || i.line !== undefined || /format|document|JSON/.test(i.message),
          `${where}: an issue with neither path nor line: ${i.message}`,
        );
      }
      continue;
    }
    const doc = v.document;
    const a = analyzeDocument(doc);
    const ids = new Set<string>();
    const collect = (n: Json) => {
      if (!isObj(n)) return;
      ids.add(String(n.id));
      for (const e of (n.edges as Obj[] | undefined) ?? []) ids.add(String(e.id));
      for (const k of ['children', 'nodes']) for (const c of (n[k] as Json[] | undefined) ?? []) collect(c);
    };
    nodesOf(value).forEach(({ node }) => collect(node));
    for (const d of a.diagnostics) {
      assert.ok(ids.has(d.id), `${where}: diagnostic on ${JSON.stringify(d.id).slice(0, 80)}, which is no node or edge: ${d.message}`);
      assert.ok(d.message.length > 0 && d.message.length < 2000, `${where}: message of ${d.message.length} characters`);
    }
    if (a.diagnostics.some((d) => d.severity === 'error')) {
      counts.refusedByAnalysis++;
      continue;
    }
    counts.accepted++;
    assert.ok(a.outputShape !== null, `${where}: accepted without an output shape`);
    if (a.totalParams > DEFAULT_WARN_PARAMS)
      assert.ok(
        a.diagnostics.some((d) => /parameters: its weights alone take/.test(d.message)),
        `${where}: ${a.totalParams} parameters without the size warning`,
      );
    const entry: Accepted = { index, doc, python: '', typescript: '', onnx: null, output: null };
    try {
      entry.python = generatePyTorch(doc, { training: true });
      entry.typescript = generateTypeScriptRaw(doc, { engineImport: join(REPO, 'engine') });
      const perSample = Object.values(a.nodeShapes).reduce(
        (m, s) =>
          Math.max(
            m,
            s.slice(1).reduce<number>((p, x) => p * (x as number), 1),
          ),
        0,
      );
      if (a.totalParams <= RUN_LIMIT && perSample <= RUN_LIMIT) {
        const model = buildModel(doc);
        model.eval();
        const xs = inputNames(doc).map(() => randn([2, ...doc.input.shape]));
        const y = noGrad(() => model.forward(...xs));
        assert.deepEqual(y.shape, [2, ...a.outputShape.slice(1)], `${where}: forward's shape is not the analysis's`);
        entry.output = y.shape;
        // A layer ONNX has no form for is a warning of the analysis; the exporter refuses it in those words.
        const noOnnx = a.diagnostics.filter((d) => /cannot be exported to ONNX( here)?: /.test(d.message));
        if (noOnnx.length === 0) entry.onnx = toOnnxBytes(doc, model);
        else {
          counts.notExportable++;
          const said = noOnnx.map((d) => d.message.split(/cannot be exported to ONNX(?: here)?: /)[1]);
          assert.throws(
            () => toOnnxBytes(doc, model),
            (e: Error) => said.some((s) => e.message.includes(s)),
            `${where}: warned ${JSON.stringify(said)} but the export did not refuse so`,
          );
        }
        counts.run++;
      } else counts.tooBigToRun++;
    } catch (e) {
      assert.fail(`${where}: accepted, then ${(e as Error).stack}\n${text.slice(0, 3000)}`);
    }
    accepted.push(entry);
  }
  t.diagnostic(`seed ${SEED}: ${JSON.stringify(counts)}`);
  // The mutations must exercise both sides of the rule, not only the refusals.
  assert.ok(counts.accepted >= 150 && counts.run >= 100, JSON.stringify(counts));
  assert.ok(counts.refusedBySchema >= 100 && counts.refusedByAnalysis >= 300, JSON.stringify(counts));
});

/** A seeded sample of the accepted documents (the same every run). */
function sample<T>(xs: T[], n: number, seed: number): T[] {
  const r = seeded(seed);
  const copy = xs.slice();
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, n);
}

test('the generated PyTorch of a sample of accepted documents compiles (one py_compile process)', { skip: needsPyTorch }, () => {
  const files = sample(accepted, PY_SAMPLE, SEED + 1).map((e) => {
    const f = join(dir, `m${e.index}.py`);
    writeFileSync(f, e.python);
    return f;
  });
  assert.ok(files.length >= 100, `only ${files.length} accepted documents`);
  const script =
    'import py_compile, sys\nbad = []\nfor f in sys.argv[1:]:\n    try:\n        py_compile.compile(f, doraise=True)\n    except py_compile.PyCompileError as e:\n        bad.append(str(e))\nprint("\\n".join(bad))\nsys.exit(1 if bad else 0)';
  const r = spawnSync(PYTHON, ['-c', script, ...files], { encoding: 'utf8' });
  assert.equal(r.status, 0, `py_compile failed:\n${r.stdout.slice(0, 4000)}\n${r.stderr.slice(0, 2000)}`);
});

test('the generated TypeScript of a sample of accepted documents compiles (one tsc --noEmit)', () => {
  const files = sample(accepted, TS_SAMPLE, SEED + 2).map((e) => {
    const f = join(dir, `m${e.index}.ts`);
    // Each file a module of its own (the generated names repeat across documents).
    writeFileSync(f, e.typescript);
    return f;
  });
  assert.ok(files.length >= 20, `only ${files.length} accepted documents`);
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      module: 'commonjs',
      moduleResolution: 'node',
      strict: true,
      noImplicitOverride: true,
      noEmit: true,
      skipLibCheck: true,
      esModuleInterop: true,
      types: ['node'],
      typeRoots: [join(REPO, 'node_modules', '@types')],
    },
    files,
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  const r = spawnSync(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'tsconfig.json')], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, `tsc failed:\n${r.stdout.slice(0, 4000)}\n${r.stderr.slice(0, 2000)}`);
});

test('the ONNX export of a sample of accepted documents loads and runs in onnxruntime, with the engine output shape', async () => {
  const runnable = accepted.filter((e) => e.onnx !== null);
  const chosen = sample(runnable, ONNX_SAMPLE, SEED + 3);
  assert.ok(chosen.length >= 50, `only ${chosen.length} exported documents`);
  for (const e of chosen) {
    const where = `seed ${SEED}, document ${e.index} (${e.doc.name})`;
    let session: InferenceSession;
    try {
      session = await InferenceSession.create(e.onnx as Uint8Array);
    } catch (err) {
      assert.fail(`${where}: onnxruntime refuses the export: ${(err as Error).message}`);
    }
    const size = e.doc.input.shape.reduce((p, d) => p * d, 1);
    const feeds = Object.fromEntries(
      session.inputNames.map((n) => [n, new OrtTensor('float32', new Float32Array(2 * size).fill(0.5), [2, ...e.doc.input.shape])]),
    );
    const out = await session.run(feeds);
    assert.deepEqual([...out[session.outputNames[0]].dims], e.output, where);
    await session.release();
  }
});
