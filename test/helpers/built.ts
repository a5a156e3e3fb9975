/**
 * The built outputs a test runs (bin/nnb.js loads dist/cli/nnb.js; the engine's WASM kernels), brought up
 * to date with scripts/build-if-stale.mjs, which rebuilds only when a source is newer than its outputs: a
 * test never runs yesterday's bundle against today's sources.
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

export function ensureBundles(): void {
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-if-stale.mjs')], { cwd: ROOT, stdio: 'inherit' });
}
