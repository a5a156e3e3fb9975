// Builds what is out of date for running the extension from this checkout: the WASM kernels (incremental)
// and, when any source under extension/, webview/, engine/, cli/ or protocol/ is newer than them, the esbuild bundles.
// Used by `npm run studio` and the real-VS-Code tests; `npm run build` always builds everything.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUTPUTS = [
  'dist/extension/extension.js',
  'dist/extension/train-worker.js',
  'dist/extension/wasm/gemm.wasm',
  'dist/engine/index.js',
  'dist/cli/nnb.js',
  'dist/webview/editor.js',
  'dist/webview/editor.css',
];

function newestMtime(dir) {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    newest = Math.max(newest, s.isDirectory() ? newestMtime(p) : s.mtimeMs);
  }
  return newest;
}

function run(script) {
  const r = spawnSync(process.execPath, [join(ROOT, script)], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run('scripts/build-wasm.mjs');
const outputs = OUTPUTS.map((f) => join(ROOT, f));
const built = outputs.every((f) => existsSync(f)) ? Math.min(...outputs.map((f) => statSync(f).mtimeMs)) : 0;
const sources = Math.max(...['extension', 'webview', 'engine', 'cli', 'protocol'].map((d) => newestMtime(join(ROOT, d))));
if (built < sources) run('scripts/build-bundles.mjs');
