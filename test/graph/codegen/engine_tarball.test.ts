// The engine as a real package (scripts/pack-engine.mjs): a fresh project installs the packed tarball
// with `npm install --offline` (the package has no dependencies, so nothing is fetched), compiles the
// generated TypeScript of every example and fixture with `tsc --strict` (library checks on, so the
// package's own declarations must type-check too), runs the output on plain node, and gets
// buildModel's outputs for the same weights and inputs.
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { generateTypeScript } from '../../../engine/graph';
import { io } from '../../../engine';
import { loadCases, maxAbsDiff, reference, REPO, tolerance } from '../helpers';

const dir = mkdtempSync(join(tmpdir(), 'nnb-tarball-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const run = (command: string, args: string[], cwd: string) => {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, `${command} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
};

test("a fresh project installs the packed engine, compiles every generated model under tsc --strict and gets buildModel's outputs", async () => {
  const tarball = run(process.execPath, [join(REPO, 'scripts', 'pack-engine.mjs'), '--out', join(dir, 'pkg', 'engine-package')], REPO)
    .trim()
    .split('\n')
    .pop()!;
  assert.ok(existsSync(tarball), tarball);
  const manifest = JSON.parse(readFileSync(join(dir, 'pkg', 'engine-package', 'package.json'), 'utf8')) as {
    dependencies?: object;
    exports: Record<string, unknown>;
  };
  assert.equal(manifest.dependencies, undefined, 'the engine package has no dependencies');

  const project = join(dir, 'user-project');
  mkdirSync(join(project, 'src'), { recursive: true });
  mkdirSync(join(project, 'data'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', version: '1.0.0', private: true }));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], project);
  assert.ok(existsSync(join(project, 'node_modules', 'nn-blocks', 'engine.js')));

  const cases = loadCases();
  const expected: Record<string, { y: number[]; tol: number }> = {};
  const imports: string[] = [];
  const entries: string[] = [];
  for (const [i, c] of cases.entries()) {
    const name = c.doc.name;
    writeFileSync(join(project, 'src', `${name}.ts`), await generateTypeScript(c.doc));
    const ref = reference(c.doc);
    io.saveSafetensors(join(project, 'data', `${name}.weights.safetensors`), ref.model.stateDict());
    io.saveSafetensors(join(project, 'data', `${name}.input.safetensors`), Object.fromEntries(ref.xs.map((x, k) => [`x${k}`, x])));
    expected[name] = { y: Array.from(ref.y.data), tol: tolerance(c.doc) };
    imports.push(`import * as m${i} from './${name}';`);
    entries.push(`  ${JSON.stringify(name)}: m${i}.createModel,`);
  }
  // The user's program: each generated model, loaded with the weights buildModel had, on the same inputs.
  writeFileSync(
    join(project, 'src', 'main.ts'),
    `import { io, noGrad, type nn, type Tensor } from 'nn-blocks/engine';
${imports.join('\n')}

const models: Record<string, () => nn.Module> = {
${entries.join('\n')}
};
const out: Record<string, number[]> = {};
for (const [name, create] of Object.entries(models)) {
  const net = create();
  net.loadStateDict(io.loadSafetensors(\`data/\${name}.weights.safetensors\`).tensors);
  net.eval();
  const inputs = io.loadSafetensors(\`data/\${name}.input.safetensors\`).tensors;
  const xs: Tensor[] = Object.keys(inputs).sort().map((k) => inputs[k]);
  const forward = net.forward.bind(net) as (...x: Tensor[]) => Tensor;
  out[name] = Array.from(noGrad(() => forward(...xs)).data);
}
process.stdout.write(JSON.stringify(out));
`,
  );
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'node16',
        moduleResolution: 'node16',
        strict: true,
        outDir: 'build',
        rootDir: 'src',
        types: ['node'],
        typeRoots: [join(REPO, 'node_modules', '@types')],
      },
      include: ['src'],
    }),
  );
  run(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], project);
  const got = JSON.parse(run(process.execPath, [join(project, 'build', 'main.js')], project)) as Record<string, number[]>;
  assert.deepEqual(Object.keys(got).sort(), Object.keys(expected).sort());
  for (const [name, { y, tol }] of Object.entries(expected)) {
    const d = maxAbsDiff(got[name], y);
    assert.ok(d <= tol, `${name}: max |installed package - buildModel| = ${d} > ${tol}`);
  }
});
