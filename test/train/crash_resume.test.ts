/**
 * A run whose process died (the editor was killed mid-run): no result.json, and a metrics record cut off
 * in the middle of its append. The Runs view still lists it (as 'running', with its checkpoints), and it
 * resumes from its last checkpoint to the end with a clean metrics.jsonl.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { startRun } from '../../engine/train/host';
import { listRuns } from '../../engine/train/runs';
import { readMetrics } from '../../engine/train/run_folder';
import { tempDir, writeSpiralNetDoc } from './helpers';

test('a run cut off by a crash is listed and resumes despite a torn metrics line', async () => {
  const dir = await tempDir('crash');
  const doc = await writeSpiralNetDoc(dir, 'spiral', { epochs: 400, batchSize: 100, checkpointEvery: 300, logEvery: 50 });
  const runs = path.join(dir, 'runs');
  const first = await startRun({ documentPath: doc, outDir: runs, mode: 'inline' });
  first.on('metrics', (r) => {
    if (r.step >= 700) first.stop();
  });
  const stopped = await first.result;
  assert.equal(stopped.status, 'stopped', stopped.message);

  // What a crash leaves: no result.json, half a record at the end of metrics.jsonl.
  await fsp.rm(path.join(first.runDir, 'result.json'));
  await fsp.appendFile(path.join(first.runDir, 'metrics.jsonl'), '{"step":750,"epoch":7.5,"lo');

  const [listed] = await listRuns(runs, 'spiral');
  assert.equal(listed.status, 'running');
  assert.equal(listed.runDir, first.runDir);
  assert.ok(listed.checkpoints.includes('step-600.safetensors'), listed.checkpoints.join(', '));

  const resumed = await startRun({ documentPath: doc, resume: first.runDir, mode: 'inline' });
  let startStep = -1;
  resumed.on('started', (info) => (startStep = info.startStep));
  const done = await resumed.result;
  assert.equal(done.status, 'completed', done.message);
  assert.equal(startStep, stopped.step, 'resumed from the checkpoint written at the stop');
  const records = await readMetrics(first.runDir);
  assert.equal(records[records.length - 1].step, 1600);
  records.forEach((r, i) => i > 0 && assert.ok(r.step > records[i - 1].step, `step ${r.step} after ${records[i - 1].step}`));
  const text = await fsp.readFile(path.join(first.runDir, 'metrics.jsonl'), 'utf8');
  assert.ok(!text.includes('"lo{'), 'the torn record is gone');
});
