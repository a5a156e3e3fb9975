#!/usr/bin/env node
// The full Fashion-MNIST check of issue 12: trains examples/fashion_mlp.nnb.json and
// examples/fashion_cnn.nnb.json with `nnb train` on all 60,000 training images (the Debian package
// dataset-fashion-mnist) and checks each run's test accuracy in its result.json against the bar the
// README promises. Slow (minutes per model): not part of the test suite, which trains the CNN briefly
// (test/train/fashion_short.test.ts).
//
//   node scripts/fashion-accuracy.mjs [mlp|cnn ...]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Each example and the test accuracy it must reach within the epochs its training section sets. */
const CHECKS = {
  mlp: { example: 'examples/fashion_mlp.nnb.json', atLeast: 0.87 },
  cnn: { example: 'examples/fashion_cnn.nnb.json', atLeast: 0.91 },
};

const wanted = process.argv.slice(2);
for (const name of wanted) if (!(name in CHECKS)) throw new Error(`unknown check '${name}': the checks are ${Object.keys(CHECKS).join(', ')}`);
const out = mkdtempSync(join(tmpdir(), 'nnb-fashion-'));
let failed = 0;
for (const [name, check] of Object.entries(CHECKS)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  const started = Date.now();
  const run = spawnSync(process.execPath, [join(root, 'bin', 'nnb.js'), 'train', join(root, check.example), '--out', out], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const seconds = (Date.now() - started) / 1000;
  if (run.status !== 0) {
    console.error(`${name}: nnb train exited with ${run.status ?? run.signal}`);
    failed++;
    continue;
  }
  const model = JSON.parse(readFileSync(join(root, check.example), 'utf8')).name;
  const runs = readdirSync(join(out, model)).sort();
  const result = JSON.parse(readFileSync(join(out, model, runs[runs.length - 1], 'result.json'), 'utf8'));
  const acc = result.final?.testAccuracy;
  const ok = typeof acc === 'number' && acc >= check.atLeast;
  console.log(
    `${name}: test accuracy ${acc?.toFixed(4)} (needs >= ${check.atLeast}) after ${result.step} steps, ${seconds.toFixed(0)} s ${ok ? 'ok' : 'FAILED'}`,
  );
  if (!ok) failed++;
}
process.exitCode = failed === 0 ? 0 : 1;
