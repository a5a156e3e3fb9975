// Compiles the AssemblyScript kernels (engine/kernels/assembly/*.ts) to engine/kernels/wasm/*.wasm.
// Offline (the compiler is a devDependency) and incremental: a module is rebuilt only when a source in
// engine/kernels/assembly or this script is newer than its .wasm. `--force` rebuilds everything.
import { readdirSync, statSync, mkdirSync, existsSync } from 'node:fs';
import { join, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'engine', 'kernels', 'assembly');
const outDir = join(root, 'engine', 'kernels', 'wasm');
const force = process.argv.includes('--force');

// One entry per module. Memory is imported and shared so worker threads can run over the same bytes;
// its maximum (2 GiB) must match the WebAssembly.Memory created in engine/kernels/wasm_gemm.ts. All
// modules share that memory, so any static data of theirs must not overlap: gemm and image have none, small's
// constant table is placed at 16 KiB (extra), inside the low 64 KiB the arena leaves to the modules.
const modules = [
  { entry: 'gemm.ts', extra: [] },
  { entry: 'gemm.ts', out: 'gemm_relaxed', extra: ['--enable', 'relaxed-simd'] },
  { entry: 'small.ts', extra: ['--memoryBase', '16384'] },
  { entry: 'image.ts', extra: [] },
];
const flags = [
  '-O3',
  '--noAssert',
  '--runtime',
  'stub',
  '--use',
  'abort=',
  '--enable',
  'simd',
  '--enable',
  'threads',
  '--importMemory',
  '--sharedMemory',
  '--initialMemory',
  '32',
  '--maximumMemory',
  '32768',
];

const newestInput = Math.max(
  statSync(fileURLToPath(import.meta.url)).mtimeMs,
  ...readdirSync(srcDir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => statSync(join(srcDir, f)).mtimeMs),
);
mkdirSync(outDir, { recursive: true });

// gemm_relaxed: the same source with relaxed SIMD (engine/kernels/wasm_gemm.ts picks it when the runtime validates it).
const outFile = ({ entry, out }) => join(outDir, (out ?? basename(entry, '.ts')) + '.wasm');
const stale = modules.filter((mod) => {
  const out = outFile(mod);
  return force || !existsSync(out) || statSync(out).mtimeMs < newestInput;
});
if (stale.length === 0) {
  console.log('build:wasm: up to date');
} else {
  const { default: asc } = await import('assemblyscript/asc');
  for (const mod of stale) {
    const { entry, extra } = mod;
    const out = outFile(mod);
    const { error, stderr } = await asc.main([join(srcDir, entry), '-o', out, ...flags, ...extra]);
    if (error) {
      console.error(stderr.toString());
      console.error(`build:wasm: ${entry} failed: ${error.message}`);
      process.exit(1);
    }
    console.log(`build:wasm: ${basename(out)} (${statSync(out).size} bytes)`);
  }
}
