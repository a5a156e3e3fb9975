// The README's engine example runs as written (with fewer epochs), so the documentation stays true.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

test('the README engine example trains, prints and saves', () => {
  const root = join(__dirname, '..', '..');
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, 'README has a ```ts example');
  const dir = mkdtempSync(join(tmpdir(), 'nnb-readme-'));
  const code = block[1].replace("from './engine'", `from ${JSON.stringify(join(root, 'engine'))}`).replace('epoch < 10000', 'epoch < 300');
  assert.notEqual(code, block[1]);
  writeFileSync(join(dir, 'example.ts'), `${code}\nconsole.log(new MLP().namedParameters().length);\n`);
  const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const r = spawnSync(process.execPath, [tsx, join(dir, 'example.ts')], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Sequential\(\n {2}\(0\): Linear\(in_features=2, out_features=4, bias=True\)/);
  assert.match(r.stdout, /\n4\n$/);
  assert.ok(existsSync(join(dir, 'net.safetensors')));
});
