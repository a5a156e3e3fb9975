// The generated TypeScript (engine/graph/codegen) compiles under tsc --strict and, loaded with the same
// weights, computes what buildModel computes, for every example document and the fixtures (every op,
// every init kind, tricky names, a two-input Module).
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { generateTypeScript } from '../../../engine/graph';
import { noGrad, type nn } from '../../../engine';
import { loadCases, reference, maxAbsDiff, REPO } from '../helpers';
import { initProblems } from '../init_stats';

const cases = loadCases();
const dir = mkdtempSync(join(tmpdir(), 'nnb-ts-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const files = new Map<string, string>();

test('generated TypeScript is formatted and imports the engine by the given specifier', async () => {
  for (const c of cases) {
    const code = await generateTypeScript(c.doc, { engineImport: join(REPO, 'engine') });
    assert.ok(code.includes(`from '${join(REPO, 'engine')}'`), c.file);
    const file = join(dir, `${c.doc.name}.ts`);
    writeFileSync(file, code);
    files.set(c.file, file);
  }
  const byName = (n: string) => cases.find((c) => c.doc.name === n)!.doc;
  const spiral = await generateTypeScript(byName('flower'));
  assert.match(spiral, /from 'nn-blocks\/engine'/);
  assert.match(spiral, /new nn\.Sequential\(new nn\.Linear\(2, 4\), new nn\.Tanh\(\), new nn\.Linear\(4, 1\)\)/);
  const shared = await generateTypeScript(byName('shared_weights'));
  // One instance, referenced twice.
  assert.match(shared, /const shared = new nn\.Linear\(8, 8\);/);
  assert.equal(shared.match(/\bshared,/g)?.length, 2);
  const blocks = await generateTypeScript(byName('nested_blocks'));
  assert.match(blocks, /export function block1\(\): nn\.Sequential/);
  assert.match(blocks, /\.addModule\('block 0', block1\(\)\)/);
  const graph = await generateTypeScript(byName('two_branch'));
  assert.match(graph, /export class TwoBranch extends nn\.Module/);
  assert.match(graph, /override forward\(x: Tensor\): Tensor/);
  assert.match(graph, /const sum = layer1\.add\(layer2\);/);
});

test('generated TypeScript compiles under tsc --strict', () => {
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
    files: [...files.values()],
  };
  assert.equal(files.size, cases.length);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  const r = spawnSync(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'tsconfig.json')], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, `tsc failed:\n${r.stdout}\n${r.stderr}`);
});

test('generated TypeScript has buildModel state-dict keys and, with the same weights, the same outputs', async () => {
  for (const c of cases) {
    const { model, xs, y } = reference(c.doc);
    const mod = (await import(files.get(c.file) as string)) as { createModel: () => nn.Module };
    const gen = mod.createModel();
    assert.deepEqual(Object.keys(gen.stateDict()), Object.keys(model.stateDict()), c.file);
    gen.loadStateDict(model.stateDict());
    gen.eval();
    const out = noGrad(() => gen.forward(...xs));
    assert.deepEqual(out.shape, y.shape, c.file);
    assert.ok(maxAbsDiff(out.data, y.data) <= 1e-6, `${c.file}: max diff ${maxAbsDiff(out.data, y.data)}`);
    // Shared weights stay tied in the generated model.
    assert.equal(gen.namedParameters().length, model.namedParameters().length, c.file);
  }
});

test("generated TypeScript initialises every layer as the document's init says", async () => {
  const c = cases.find((k) => k.doc.name === 'inits')!;
  const mod = (await import(files.get(c.file) as string)) as { createModel: () => nn.Module };
  const sd = mod.createModel().stateDict();
  assert.deepEqual(initProblems(c.doc, Object.fromEntries(Object.entries(sd).map(([k, t]) => [k, t.data]))), []);
});
