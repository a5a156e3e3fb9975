/**
 * Resume on a diverged run (issue 14, item 7) says first that it will diverge again, from the Runs view and
 * from the training panel alike, and resumes only on "Resume Anyway" (over the fake `vscode`); the runs list
 * the panel gets carries that warning, and `nnb train --resume` refuses such a run without --force.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installFakeVscode, fakeContext, fakePanels, recorded, commands, Uri } from './fake_vscode';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { captureIO, tempDir, writeSpiralNetDoc } from './helpers';
import { runTrainCommand } from '../../engine/train/cli';
import { waitFor } from '../helpers/poll';
import { startRun } from '../../engine/train/host';
import { resumeWarning } from '../../engine/train/runs';
import type { RunsNode } from '../../extension/training/runs_tree';
import type { RunSummary } from '../../engine/train/runs';

installFakeVscode();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { registerTraining } = require('../../extension/training/register') as typeof import('../../extension/training/register');

test('resumeWarning speaks only for diverged runs', () => {
  assert.equal(resumeWarning({ status: 'stopped', stamp: 's', message: 'Stopped at step 3' }), undefined);
  assert.match(
    resumeWarning({ status: 'diverged', stamp: '20261203-140000', message: 'The loss grew.' })!,
    /^run 20261203-140000 diverged \(The loss grew\.\)\. .*will likely diverge again/,
  );
});

test('Resume on a diverged run warns, resumes nothing when declined, and resumes on Resume Anyway', async () => {
  const dir = await tempDir('resume-diverged');
  const doc = await writeSpiralNetDoc(dir, 'blowup', {
    data: { kind: 'builtin', name: 'spiral' },
    optimizer: { type: 'SGD', lr: 1e6 },
    epochs: 300,
    checkpointEvery: 5,
  });
  const first = await (await startRun({ documentPath: doc, mode: 'inline' })).result;
  assert.equal(first.status, 'diverged', first.message);

  const context = fakeContext();
  const panels = fakePanels();
  const training = registerTraining(context, { panels });
  const node: RunsNode = { kind: 'run', run: { runDir: first.runDir } as RunSummary };

  // The Runs view: declined.
  recorded.warnings.length = 0;
  recorded.warningAnswer = undefined;
  await (commands.get('nnblocks.runs.resume')!(node) as Promise<void>);
  assert.equal(recorded.warnings.length, 1);
  assert.match(recorded.warnings[0], /diverged .*will likely diverge again/);
  assert.equal(training.manager.isRunning(Uri.file(doc) as never), false, 'declined: nothing resumed');
  assert.ok(!panels.posted.some((p) => p.type === 'training/result'), JSON.stringify(panels.posted));

  // The panel's Resume button: the same warning; Resume Anyway resumes, and it diverges again.
  recorded.warningAnswer = 'Resume Anyway';
  assert.equal(training.handleMessage(Uri.file(doc) as never, { type: 'training/resume', runDir: first.runDir }), true);
  const result = await waitFor(
    'the resumed run to end',
    () => panels.posted.find((p) => p.type === 'training/result') as { result?: { status: string } } | undefined,
    {
      timeoutMs: 60_000,
      explain: () => JSON.stringify(panels.posted),
    },
  );
  assert.equal(recorded.warnings.length, 2);
  assert.equal(result.result?.status, 'diverged');

  // The panel's runs list says it beside the run's Resume button.
  panels.posted.length = 0;
  training.handleMessage(Uri.file(doc) as never, { type: 'training/ready' });
  const runs = await waitFor(
    'the runs list',
    () => panels.posted.find((p) => p.type === 'training/runs') as { runs: { resumeWarning?: string }[] } | undefined,
  );
  assert.equal(runs.runs.length, 1);
  assert.match(runs.runs[0].resumeWarning ?? '', /diverged .*will likely diverge again/);
  context.dispose();
});

test('nnb train --resume refuses a diverged run without --force, and says it will diverge again either way', async () => {
  const dir = await tempDir('resume-diverged-cli');
  const doc = await writeSpiralNetDoc(dir, 'blowup', {
    data: { kind: 'builtin', name: 'spiral' },
    optimizer: { type: 'SGD', lr: 1e6 },
    epochs: 300,
    checkpointEvery: 5,
  });
  const out = path.join(dir, 'runs');
  assert.equal(await runTrainCommand([doc, '--out', out], captureIO().io), 1);
  const [stamp] = await fsp.readdir(path.join(out, 'blowup'));
  const runDir = path.join(out, 'blowup', stamp);
  const resumedFrom = async () =>
    (JSON.parse(await fsp.readFile(path.join(runDir, 'config.json'), 'utf8')) as { resumedFrom?: unknown[] }).resumedFrom;

  const refused = captureIO();
  assert.equal(await runTrainCommand([doc, '--resume', runDir], refused.io), 1);
  assert.match(refused.err.join('\n'), new RegExp(`run ${stamp} diverged .*will likely diverge again.*Pass --force to resume it anyway`));
  assert.deepEqual(refused.out, [], 'nothing trained');
  assert.equal(await resumedFrom(), undefined, 'the run was not resumed');

  const forced = captureIO();
  assert.equal(await runTrainCommand([doc, '--resume', runDir, '--force'], forced.io), 1, 'it diverges again');
  assert.match(forced.err.join('\n'), /warning: run .* diverged .*will likely diverge again/);
  assert.ok(forced.out.includes(`run folder: ${runDir}`), forced.out.join('\n'));
  assert.equal((await resumedFrom())?.length, 1);

  const stray = captureIO();
  assert.equal(await runTrainCommand([doc, '--force'], stray.io), 2);
  assert.match(stray.err.join('\n'), /--force goes with --resume/);
  await fsp.rm(dir, { recursive: true, force: true });
});
