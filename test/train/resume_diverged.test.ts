/**
 * Resume on a diverged run (issue 14, item 7) says first that it will diverge again, from the Runs view and
 * from the training panel alike, and resumes only on "Resume Anyway" (over the fake `vscode`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installFakeVscode, fakeContext, fakePanels, recorded, commands, Uri } from './fake_vscode';
import { tempDir, writeSpiralNetDoc } from './helpers';
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
  context.dispose();
});
