// Generated TypeScript as a user runs it outside this repository: it imports 'nn-blocks/engine' (the
// default), which the package's exports map resolves to the engine bundle (dist/engine/index.js) at run
// time and to engine/index.ts for the type checker. A project with NN Blocks in node_modules type-checks
// the code under tsc --strict and runs it with plain node, getting buildModel's outputs.
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import { generateTypeScript, buildModel } from '../../../engine/graph';
import { io, noGrad, tensor, type nn } from '../../../engine';
import { loadCases, REPO } from '../helpers';

const dir = mkdtempSync(join(tmpdir(), 'nnb-pkg-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test("generated code imports 'nn-blocks/engine', type-checks against the package and runs on its bundle", async () => {
  if (!existsSync(join(REPO, 'dist', 'engine', 'index.js')))
    execFileSync(process.execPath, [join(REPO, 'scripts', 'build-bundles.mjs')], { stdio: 'inherit' });
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(REPO, join(dir, 'node_modules', 'nn-blocks'), 'dir');
  const doc = loadCases().find((c) => c.doc.name === 'two_branch')!.doc;
  writeFileSync(join(dir, 'model.ts'), await generateTypeScript(doc));
  // The user's script: builds the generated model, loads weights saved by buildModel's twin, prints outputs.
  writeFileSync(
    join(dir, 'main.ts'),
    `import { io, tensor, noGrad } from 'nn-blocks/engine';
import { TwoBranch } from './model';
const net = new TwoBranch();
net.loadStateDict(io.loadSafetensors(process.argv[2]).tensors);
const y = noGrad(() => net.forward(tensor([[0.5, -1], [2, 0.25], [-3, 1]])));
process.stdout.write(JSON.stringify(Array.from(y.data)));
`,
  );
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'node16',
        moduleResolution: 'node16',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [join(REPO, 'node_modules', '@types')],
      },
      files: ['main.ts'],
    }),
  );
  const tsc = spawnSync(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { encoding: 'utf8' });
  assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);

  const reference = buildModel(doc) as nn.Module;
  const weights = join(dir, 'weights.safetensors');
  io.saveSafetensors(weights, reference.stateDict());
  const expected = Array.from(
    noGrad(() =>
      reference.forward(
        tensor([
          [0.5, -1],
          [2, 0.25],
          [-3, 1],
        ]),
      ),
    ).data,
  );

  // Compiled to plain CommonJS with 'nn-blocks/engine' left for node to resolve through the exports map.
  buildSync({
    entryPoints: [join(dir, 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: join(dir, 'main.js'),
    external: ['nn-blocks'],
    logLevel: 'error',
  });
  const run = spawnSync(process.execPath, [join(dir, 'main.js'), weights], { encoding: 'utf8', cwd: dir });
  assert.equal(run.status, 0, run.stderr);
  const got = JSON.parse(run.stdout) as number[];
  assert.equal(got.length, expected.length);
  got.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) <= 1e-6, `output ${i}: ${v} vs ${expected[i]}`));
});
