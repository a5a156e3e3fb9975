/**
 * Resume on a diverged run in the training panel (issue 14.7), with the extension's own training host: the
 * run's button reads "Resume anyway…" and the panel says beside it that the run will likely diverge again;
 * pressing it asks the host, which resumes nothing when the user declines. A stopped run keeps plain Resume.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../helpers/poll';
import { recorded, Uri } from '../train/fake_vscode';
import { openEditor } from './hostPage';
import { attachTrainingBridge } from './trainingBridge';
import { SHOTS, useTrainingPage } from './trainingPage';

const t = useTrainingPage('train-resume-diverged', { width: 1200, height: 900 });

test('a diverged run offers Resume only as "Resume anyway…", under the warning that it will diverge again', async () => {
  const { page, work, pageErrors } = t;
  const doc = {
    format: 'nnblocks.model/1',
    name: 'blowup',
    input: { shape: [2] },
    model: {
      id: 'net',
      op: 'Sequential',
      children: [
        { id: 'fc1', op: 'Linear', args: { inFeatures: 2, outFeatures: 4 } },
        { id: 't', op: 'Tanh' },
        { id: 'fc2', op: 'Linear', args: { inFeatures: 4, outFeatures: 1 } },
      ],
    },
    training: {
      data: { kind: 'builtin', name: 'spiral' },
      loss: 'BCEWithLogitsLoss',
      optimizer: { type: 'SGD', lr: 1e6 },
      epochs: 300,
      checkpointEvery: 5,
      seed: 0,
    },
  };
  const modelPath = join(work, 'blowup.nnb.json');
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  writeFileSync(modelPath, text);
  const bridge = (t.bridge = await attachTrainingBridge(page, modelPath));
  await openEditor(page, text, 'dark', 'blowup.nnb.json');
  await page.getByTestId('tab-training').click();
  const train = page.getByTestId('train-button');
  await waitFor('Train enabled', async () => (await train.count()) === 1 && !(await train.isDisabled()));
  await train.click();
  await waitFor('the run to end', async () => bridge.results.length === 1, { timeoutMs: 60000 });
  assert.equal(bridge.results[0].status, 'diverged', bridge.results[0].message);
  const stamp = bridge.results[0].runDir.split('/').pop()!;

  const resume = page.getByTestId(`resume-${stamp}`);
  await waitFor('the run listed with its Resume button', async () => (await resume.count()) === 1);
  assert.equal((await resume.innerText()).trim(), 'Resume anyway…');
  const warning = page.getByTestId(`resume-warning-${stamp}`);
  assert.ok(await warning.isVisible(), 'the warning is on screen, not only in a tooltip');
  assert.match(await warning.innerText(), new RegExp(`run ${stamp} diverged .*will likely diverge again`));

  // Pressed: the host asks once more; declined, nothing resumes.
  recorded.warnings.length = 0;
  recorded.warningAnswer = undefined;
  await resume.click();
  await waitFor('the host to ask', async () => recorded.warnings.length === 1);
  assert.match(recorded.warnings[0], /will likely diverge again/);
  assert.equal(bridge.training.manager.isRunning(Uri.file(modelPath) as never), false);
  assert.equal(bridge.results.length, 1, 'no second run');
  await page.screenshot({ path: join(SHOTS, 'training-resume-diverged.png'), fullPage: true });
  assert.deepEqual(pageErrors, []);
});
