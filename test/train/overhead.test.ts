/**
 * Training overhead outside the engine on the spiral example, measured inside a real worker run (its
 * time in step bursts against the time its engine calls took). The target is < 5 % (see
 * bench/training_overhead.ts for the figure); the test allows a looser bound for noisy CI machines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import { measureOverhead } from '../../bench/training_overhead';
import { tempDir, SPIRAL_EXAMPLE } from './helpers';

test('training overhead on the spiral example stays small', async () => {
  const out = await tempDir('overhead');
  const f = await measureOverhead(SPIRAL_EXAMPLE, out, 1);
  console.log(`spiral: ${f.steps} steps, in-run overhead ${f.inRunOverheadPct.toFixed(2)} %, across runs ${f.overheadPct.toFixed(2)} %`);
  assert.ok(f.inRunOverheadPct < 15, `in-run overhead ${f.inRunOverheadPct.toFixed(2)} %`);
  assert.ok(f.accuracy! >= 0.85);
  await fsp.rm(out, { recursive: true, force: true });
});
