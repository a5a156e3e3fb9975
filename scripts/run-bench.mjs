// npm run bench: bundles bench/index.ts with esbuild (as the extension itself is bundled, so the engine
// runs as it does for users, without a TypeScript loader in between) and runs it with the given flags.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';

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
const r = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
