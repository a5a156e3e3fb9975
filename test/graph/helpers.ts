/** Shared by the test/graph tests: the documents every end-to-end test runs (examples + fixtures). */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseDocument, buildModel, type GraphNode, type ModelDocument } from '../../engine/graph';
import { manualSeed, randn, noGrad, type Tensor, nn } from '../../engine';

export const REPO = resolve(__dirname, '..', '..');
export const EXAMPLES = join(REPO, 'examples');
export const FIXTURES = join(__dirname, 'fixtures');

export interface Case {
  file: string;
  text: string;
  doc: ModelDocument;
}

export function loadCases(): Case[] {
  const dirs = [EXAMPLES, FIXTURES];
  return dirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.nnb.json'))
      .sort()
      .map((f) => {
        const file = join(dir, f);
        const text = readFileSync(file, 'utf8');
        return { file, text, doc: parseDocument(text, f) };
      }),
  );
}

export function loadDoc(name: string): ModelDocument {
  return parseDocument(readFileSync(join(EXAMPLES, name), 'utf8'), name);
}

/** The names of the model's inputs: a root Graph's own, otherwise the one 'input'. */
export function inputNames(doc: ModelDocument): string[] {
  return doc.model.op === 'Graph' ? (doc.model as GraphNode).inputs : ['input'];
}

/**
 * A built model in eval mode with seeded weights, a seeded input batch per model input (`xs`, in
 * `inputNames` order; `x` is the first) and the engine's output.
 */
export function reference(doc: ModelDocument, batch = 5, seed = 7): { model: nn.Module; x: Tensor; xs: Tensor[]; y: Tensor } {
  manualSeed(seed);
  const model = buildModel(doc);
  const xs = inputNames(doc).map(() => randn([batch, ...doc.input.shape]));
  // One forward in train mode first, so that running statistics (BatchNorm) are not their initial
  // zeros and ones: every target must then read them from the state dict.
  noGrad(() => model.forward(...xs.map((x) => x.mul(2).add(0.5))));
  model.eval();
  const y = noGrad(() => model.forward(...xs));
  return { model, x: xs[0], xs, y };
}

/**
 * How close every target must come to the engine: 1e-5, or 1e-4 where the model has a convolution
 * (longer sums in another order, as issue 11 allows).
 */
export function tolerance(doc: ModelDocument): number {
  const ops = JSON.stringify(doc);
  return /"op":"(Conv1d|Conv2d|ConvTranspose2d)"/.test(ops) ? 1e-4 : 1e-5;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
