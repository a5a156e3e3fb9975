// Bundles the extension with esbuild: the extension host (Node, CommonJS, `vscode` and native modules
// external) with its training worker beside it, the webview (browser IIFE + one stylesheet, and the
// parts it loads on first use: layout.js, elkjs for Auto Layout, see webview/lazy/parts.ts), the engine
// package entry, and the `nnb` command line (dist/cli/nnb.js, which bin/nnb.js loads: plain Node, no tsx).
// Usage: node scripts/build-bundles.mjs [--watch] [--dev]   (--dev: no minify, inline source maps)
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const watch = process.argv.includes('--watch');
const dev = process.argv.includes('--dev') || watch;
const root = new URL('..', import.meta.url).pathname;

/** Native or optional-native packages stay out of the host bundle; vsce ships them from node_modules. */
const HOST_EXTERNAL = ['vscode', 'onnxruntime-node', 'fsevents'];

const common = { bundle: true, sourcemap: dev ? 'inline' : 'linked', minify: !dev, logLevel: 'warning', absWorkingDir: root, legalComments: 'none' };

const host = {
  ...common,
  entryPoints: { extension: 'extension/extension.ts', 'train-worker': 'engine/train/worker.ts' },
  outdir: 'dist/extension',
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: HOST_EXTERNAL,
  // Keep class and function names readable in stack traces users may paste into issues.
  keepNames: true,
};

/** The engine as a package entry (`nn-blocks/engine`), for generated TypeScript run outside this repository. */
const engine = {
  ...common,
  entryPoints: { index: 'engine/index.ts' },
  outdir: 'dist/engine',
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['onnxruntime-node'],
  minify: false,
  keepNames: true,
};

/** The command line as one file, so an installed `nnb` runs on plain Node (bin/nnb.js requires it). */
const cli = {
  ...common,
  entryPoints: { nnb: 'cli/main.ts' },
  outdir: 'dist/cli',
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['onnxruntime-node'],
  minify: false,
  keepNames: true,
};

const webview = {
  ...common,
  entryPoints: { editor: 'webview/main.tsx', layout: 'webview/lazy/layout.ts' },
  outdir: 'dist/webview',
  platform: 'browser',
  target: 'chrome120',
  format: 'iife',
  jsx: 'automatic',
  loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.svg': 'file' },
  define: { 'process.env.NODE_ENV': dev ? '"development"' : '"production"' },
};

/** The engine finds its WASM kernels in ./wasm beside the bundle that loads them. */
function copyWasm() {
  const from = join(root, 'engine/kernels/wasm');
  for (const bundleDir of ['dist/extension', 'dist/engine', 'dist/cli']) {
    const to = join(root, bundleDir, 'wasm');
    mkdirSync(to, { recursive: true });
    for (const f of readdirSync(from)) if (f.endsWith('.wasm')) cpSync(join(from, f), join(to, f));
  }
}

const started = Date.now();
if (watch) {
  const contexts = await Promise.all([esbuild.context(host), esbuild.context(engine), esbuild.context(cli), esbuild.context(webview)]);
  copyWasm();
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('watching extension/ and webview/ ...');
} else {
  await Promise.all([esbuild.build(host), esbuild.build(engine), esbuild.build(cli), esbuild.build(webview)]);
  copyWasm();
  console.log(
    `bundles built in ${Date.now() - started} ms: dist/extension/extension.js, dist/extension/train-worker.js, dist/engine/index.js, dist/cli/nnb.js, dist/webview/editor.{js,css}, dist/webview/layout.js`,
  );
}
