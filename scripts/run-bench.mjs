// npm run bench: the engine against TensorFlow.js, then the product's wall-clock targets.
//   npm run bench [-- --quick] [-- --only w1,w2,w3,graph,render,longtask,overhead,mainloop]
// The engine workloads (bench/index.ts) are bundled with esbuild, as the extension itself is, so the
// engine runs as it does for users, without a TypeScript loader in between. The wall-clock targets
// (bench/limits.ts) drive the built webview in Chromium and start worker threads from the sources, so
// they run under tsx, after the bundles are built.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const onlyAt = args.findIndex((a) => a === '--only' || a.startsWith('--only='));
const only = onlyAt < 0 ? null : (args[onlyAt].includes('=') ? args[onlyAt].split('=')[1] : (args[onlyAt + 1] ?? '')).split(',');
/** bench/limits.ts's workloads; every other name is one of bench/index.ts's. */
const LIMITS = ['render', 'longtask', 'overhead', 'mainloop'];

const run = (argv) => spawnSync(process.execPath, argv, { stdio: 'inherit' }).status ?? 1;
let status = 0;
if (only === null || only.some((n) => !LIMITS.includes(n))) {
  const outfile = 'dist/bench/bench.js';
  await build({
    entryPoints: ['bench/index.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    external: ['@tensorflow/*', 'onnxruntime-node', 'vega', 'vega-lite', 'prettier'],
    logLevel: 'warning',
  });
  // Relaxed SIMD, as VS Code's Electron has it (Node 20 only behind this flag): the engine's gemm picks it
  // at load time (engine/kernels/wasm_gemm.ts); NN_BLOCKS_RELAXED_SIMD=0 measures the plain SIMD one.
  status ||= run(['--experimental-wasm-relaxed-simd', outfile, ...args]);
}
if (only === null || only.some((n) => LIMITS.includes(n))) {
  status ||= run(['scripts/build-if-stale.mjs']);
  status ||= run(['--import', 'tsx', 'bench/limits.ts', ...args]);
}
process.exit(status);
