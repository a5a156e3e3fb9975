// The gemm module is picked at load time: the relaxed-SIMD build (f32x4.relaxed_madd) where the runtime
// validates it, the plain SIMD one otherwise or when NN_BLOCKS_RELAXED_SIMD=0 forces the fallback. Each
// choice is made once per process, so each case runs test/kernels/fixtures/gemm_probe.ts in a child and
// checks both which module loaded and that its products match a float64 reference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const PROBE = path.join(__dirname, 'fixtures', 'gemm_probe.ts');

function probe(flags: string[], env: Record<string, string>): { wasm: boolean; relaxedSimd: boolean; worst: number } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', ...flags, PROBE], { encoding: 'utf8', env: { ...process.env, ...env } });
  assert.equal(r.status, 0, `probe failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { wasm: boolean; relaxedSimd: boolean; worst: number };
}

// Float32 products of 784 terms: relative to sum |a*b| the error stays far below 1e-5 either way.
const TOLERANCE = 1e-5;

test('relaxed SIMD is used when the runtime has it, and its products are right', () => {
  const r = probe(['--experimental-wasm-relaxed-simd'], { NN_BLOCKS_RELAXED_SIMD: '' });
  assert.ok(r.wasm, 'wasm kernels did not load');
  assert.equal(r.relaxedSimd, true, 'the relaxed-SIMD gemm was not chosen although the runtime has relaxed SIMD');
  assert.ok(r.worst < TOLERANCE, `worst relative error ${r.worst}`);
});

test('NN_BLOCKS_RELAXED_SIMD=0 forces the plain SIMD gemm, and its products are right', () => {
  const r = probe(['--experimental-wasm-relaxed-simd'], { NN_BLOCKS_RELAXED_SIMD: '0' });
  assert.ok(r.wasm, 'wasm kernels did not load');
  assert.equal(r.relaxedSimd, false);
  assert.ok(r.worst < TOLERANCE, `worst relative error ${r.worst}`);
});
