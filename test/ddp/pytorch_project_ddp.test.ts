// The generated PyTorch project (engine/train/pytorch_project.ts) trains under real PyTorch on one process
// and on two gloo processes launched with torchrun's environment (test/ddp/launch.ts): the two-process run
// ends with the one-process weights (full batch, 1e-5) and the same loss curve (mini-batches, the document's
// batch being the global one); a killed run resumes from its last checkpoint and ends where an
// uninterrupted run ends. Its output is an NN Blocks run folder the engine's readers list and parse.
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { io } from '../../engine';
import { listRuns, readRun } from '../../engine/train/runs';
import { sequentialDoc, tempDir } from '../train/helpers';
import { CLASSES, SIZE, writeIdxSet } from '../train/idx_bars';
import { waitFor } from '../helpers/poll';
import { needsPyTorch } from '../helpers/system';
import { launch, train, writeProject } from './launch';
import { REPO } from '../graph/helpers';

const spiral = JSON.parse(readFileSync(path.join(REPO, 'examples', 'flower.nnb.json'), 'utf8')) as Record<string, unknown> & {
  training: Record<string, unknown>;
};
const withTraining = (training: Record<string, unknown>) => ({ ...spiral, training: { ...spiral.training, ...training } });

function weights(runDir: string): Record<string, Float32Array> {
  const { tensors } = io.loadSafetensors(path.join(runDir, 'model.safetensors'));
  return Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, Float32Array.from(t.data)]));
}

function assertSameWeights(a: string, b: string, tolerance: number): void {
  const wa = weights(a);
  const wb = weights(b);
  assert.deepEqual(Object.keys(wb).sort(), Object.keys(wa).sort());
  for (const k of Object.keys(wa)) {
    const worst = Math.max(...wa[k].map((v, i) => Math.abs(v - wb[k][i])));
    assert.ok(worst <= tolerance, `${k}: |1 process - 2 processes| = ${worst} > ${tolerance}`);
  }
}

test('full batch: 2 gloo processes end with the 1-process weights, and both runs are NN Blocks run folders', { skip: needsPyTorch }, async () => {
  const dir = await tempDir('ddp-full');
  const { docFile, project } = await writeProject(dir, withTraining({ epochs: 150, logEvery: 50, checkpointEvery: 100 }));
  const one = await train(project, 1, ['--runs', path.join(dir, 'runs1')]);
  const two = await train(project, 2, ['--runs', path.join(dir, 'runs2')]);
  assertSameWeights(one, two, 1e-5);

  const [listed] = await listRuns(path.join(dir, 'runs2'));
  assert.equal(listed.runDir, two);
  assert.equal(listed.modelName, 'flower');
  assert.equal(listed.status, 'completed');
  assert.equal(listed.step, 150);
  assert.equal(listed.hasModel, true);
  const details = await readRun(two);
  assert.deepEqual(
    details.metrics.map((r) => r.step),
    [50, 100, 150],
  );
  assert.equal(details.config.documentPath, docFile);
  assert.equal((details.config as unknown as { trainer: { worldSize: number; backend: string } }).trainer.worldSize, 2);
  assert.equal((details.config as unknown as { trainer: { backend: string } }).trainer.backend, 'gloo');
  const reference = await readRun(one);
  details.metrics.forEach((r, i) => {
    assert.ok(Math.abs(r.loss - reference.metrics[i].loss) <= 1e-6, `loss at step ${r.step}: ${r.loss} vs ${reference.metrics[i].loss}`);
    assert.equal(r.accuracy, reference.metrics[i].accuracy);
  });
  assert.deepEqual(readdirSync(path.join(two, 'checkpoints')).sort(), ['step-100.pt', 'step-150.pt']);
});

test('mini-batches: the document batch is the global batch, so 2 processes follow the 1-process loss curve', { skip: needsPyTorch }, async () => {
  const dir = await tempDir('ddp-mini');
  // 320 training samples in batches of 45: the last batch (5) splits unevenly over the two processes.
  const { project } = await writeProject(
    dir,
    withTraining({ epochs: 6, batchSize: 45, shuffle: true, validationSplit: 0.2, optimizer: { type: 'Adam', lr: 0.01 }, logEvery: 7 }),
  );
  const one = await readRun(await train(project, 1, ['--runs', path.join(dir, 'runs1')]));
  const two = await readRun(await train(project, 2, ['--runs', path.join(dir, 'runs2')]));
  assert.equal(two.metrics.length, 7); // 8 steps an epoch, a record every 7 steps and at the last
  assert.deepEqual(
    two.metrics.map((r) => r.step),
    one.metrics.map((r) => r.step),
  );
  two.metrics.forEach((r, i) => {
    const o = one.metrics[i];
    assert.ok(Math.abs(r.loss - o.loss) <= 1e-4 * Math.max(1, o.loss), `loss at step ${r.step}: ${r.loss} vs ${o.loss}`);
    assert.ok(r.valLoss !== undefined && Math.abs(r.valLoss - o.valLoss!) <= 1e-4, `val loss at step ${r.step}: ${r.valLoss} vs ${o.valLoss}`);
    assert.ok(Math.abs(r.accuracy! - o.accuracy!) <= 1e-6, `accuracy at step ${r.step}`);
  });
  assertSameWeights(one.summary.runDir, two.summary.runDir, 1e-4);
});

test(
  'a killed run resumes from its last checkpoint, on another process count, and ends as an uninterrupted run',
  { skip: needsPyTorch },
  async () => {
    const dir = await tempDir('ddp-resume');
    const { project } = await writeProject(dir, withTraining({ epochs: 1500, logEvery: 100, checkpointEvery: 10 }));
    const runs = path.join(dir, 'runs');
    const killed = await launch(project, 1, ['--runs', runs]);
    const checkpoint = await waitFor(
      'a checkpoint of the run to kill',
      () => {
        const models = path.join(runs, 'flower');
        if (!existsSync(models)) return null;
        for (const stamp of readdirSync(models)) {
          const names = existsSync(path.join(models, stamp, 'checkpoints')) ? readdirSync(path.join(models, stamp, 'checkpoints')) : [];
          if (names.some((n) => n.endsWith('.pt'))) return path.join(models, stamp);
        }
        return null;
      },
      { everyMs: 10, timeoutMs: 60000 },
    );
    killed.ranks[0].kill('SIGKILL');
    const { codes } = await killed.done;
    assert.equal(codes[0], null, 'the run was killed before it finished');
    assert.ok(!existsSync(path.join(checkpoint, 'result.json')), 'the killed run has no result');
    assert.equal((await listRuns(runs))[0].status, 'running');

    const resumed = await train(project, 2, ['--resume', checkpoint]);
    assert.equal(resumed, checkpoint);
    const reference = await train(project, 1, ['--runs', path.join(dir, 'reference')]);
    assertSameWeights(reference, resumed, 1e-5);
    const { metrics, config, summary } = await readRun(resumed);
    assert.equal(summary.status, 'completed');
    assert.deepEqual(
      metrics.map((r) => r.step),
      Array.from({ length: 15 }, (_, i) => (i + 1) * 100),
      'every record once, in order',
    );
    const expected = (await readRun(reference)).metrics;
    metrics.forEach((r, i) => assert.ok(Math.abs(r.loss - expected[i].loss) <= 1e-5, `loss at step ${r.step}: ${r.loss} vs ${expected[i].loss}`));
    assert.equal(config.resumedFrom?.length, 1);
  },
);

test(
  'image data: IDX files with transforms and a test set train on 2 processes as on one, with test accuracy in result.json',
  { skip: needsPyTorch },
  async () => {
    const dir = await tempDir('ddp-idx');
    const trainSet = await writeIdxSet(dir, 'train', 120, 1);
    const testSet = await writeIdxSet(dir, 'test', 30, 2);
    const doc = sequentialDoc('bars', [1, SIZE, SIZE], [['Flatten'], ['Linear', { inFeatures: SIZE * SIZE, outFeatures: CLASSES.length }]], {
      data: { kind: 'idx', ...trainSet, test: testSet, transforms: [{ kind: 'scale' }, { kind: 'normalize', mean: [0.3], std: [0.2] }] },
      loss: 'CrossEntropyLoss',
      optimizer: { type: 'SGD', lr: 0.1, momentum: 0.9 },
      epochs: 4,
      batchSize: 30,
      validationSplit: 0.25,
      logEvery: 3,
    });
    const { project } = await writeProject(dir, doc);
    const one = await readRun(await train(project, 1, ['--runs', path.join(dir, 'runs1')]));
    const two = await readRun(await train(project, 2, ['--runs', path.join(dir, 'runs2')]));
    assert.deepEqual(
      two.metrics.map((r) => r.step),
      [3, 6, 9, 12],
    );
    two.metrics.forEach((r, i) => {
      assert.ok(Math.abs(r.loss - one.metrics[i].loss) <= 1e-5, `loss at step ${r.step}: ${r.loss} vs ${one.metrics[i].loss}`);
      assert.ok(r.valAccuracy !== undefined && r.valAccuracy === one.metrics[i].valAccuracy, `val accuracy at step ${r.step}`);
    });
    const result = JSON.parse(readFileSync(path.join(two.summary.runDir, 'result.json'), 'utf8')) as {
      final: { testAccuracy?: number; testLoss?: number };
    };
    assert.ok(
      result.final.testAccuracy !== undefined && result.final.testAccuracy > 0.9,
      `test accuracy ${result.final.testAccuracy} (the bars are easy)`,
    );
    assert.ok(Number.isFinite(result.final.testLoss));
    assert.equal(two.summary.final?.testAccuracy, result.final.testAccuracy);
  },
);
