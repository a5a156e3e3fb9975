/**
 * `nnb` as an installed package runs it: bin/nnb.js and the bundle dist/cli/nnb.js, with only the
 * package's own dependencies beside it (as `npm install -g` leaves them), so no tsx and no TypeScript.
 * Checking and training a model both work on plain Node; without the bundle the command says how to build it.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ensureBundles } from '../helpers/built';

const REPO = resolve(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'nnb-installed-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

ensureBundles();

/** A package folder as npm installs it: package.json, bin/, dist/cli/, and node_modules with the runtime dependencies only. */
function installedPackage(name: string, withBundle: boolean): string {
  const pkg = join(dir, name);
  mkdirSync(join(pkg, 'node_modules'), { recursive: true });
  cpSync(join(REPO, 'package.json'), join(pkg, 'package.json'));
  cpSync(join(REPO, 'bin'), join(pkg, 'bin'), { recursive: true });
  if (withBundle) cpSync(join(REPO, 'dist', 'cli'), join(pkg, 'dist', 'cli'), { recursive: true });
  const { dependencies } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  for (const dep of Object.keys(dependencies)) {
    const link = join(pkg, 'node_modules', dep);
    mkdirSync(resolve(link, '..'), { recursive: true });
    symlinkSync(join(REPO, 'node_modules', dep), link, 'dir');
  }
  return pkg;
}

/** Runs the package's bin/nnb.js with a plain Node: no loader in NODE_OPTIONS (the test runner's tsx stays out). */
function nnb(pkg: string, ...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '' };
  delete env.NODE_PATH;
  const r = spawnSync(process.execPath, [join(pkg, 'bin', 'nnb.js'), ...args], { encoding: 'utf8', cwd: dir, env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('an installed nnb checks and trains a model on plain Node, without tsx', () => {
  const pkg = installedPackage('with-bundle', true);
  assert.throws(() => require.resolve('tsx', { paths: [join(pkg, 'bin'), join(pkg, 'dist', 'cli')] }), /Cannot find module 'tsx'/);

  const check = nnb(pkg, 'check', join(REPO, 'examples', 'flower.nnb.json'));
  assert.equal(check.code, 0, check.err);
  assert.match(check.out, /output \[N, 1\], 17 parameters/);
  assert.match(check.out, /flower\.nnb\.json: ok/);

  const model = join(dir, 'flower.nnb.json');
  cpSync(join(REPO, 'examples', 'flower.nnb.json'), model);
  const train = nnb(pkg, 'train', model, '--epochs', '3', '--out', join(dir, 'runs'));
  assert.equal(train.code, 0, train.err);
  assert.match(train.out, /completed: Trained 3 steps: loss \d\.\d+/);
  const [stamp] = readdirSync(join(dir, 'runs', 'flower'));
  assert.ok(existsSync(join(dir, 'runs', 'flower', stamp, 'model.safetensors')));
});

test('bin/nnb.js without its bundle says how to build it', () => {
  const pkg = installedPackage('without-bundle', false);
  const r = nnb(pkg, 'check', join(REPO, 'examples', 'flower.nnb.json'));
  assert.equal(r.code, 1);
  assert.match(r.err, /nnb: .*dist\/cli\/nnb\.js is missing: build it with `npm run build`/);
});
