// `nnb train` and `nnb make-data` spawned through bin/nnb.js, as a user runs them: the 28x28 MLP example
// trains on the synthetic digits CSV that make-data writes where its training section looks for it.
import test from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO, EXAMPLES } from '../helpers';
import { digits } from '../../../engine/data/digits';
import { readCsv } from '../../../engine/data';

const dir = mkdtempSync(join(tmpdir(), 'nnb-cli-train-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function nnb(...args: string[]) {
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'nnb.js'), ...args], { encoding: 'utf8', cwd: dir });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('nnb make-data digits writes the CSV the MLP example names, equal to data.digits()', async () => {
  const csv = join(dir, 'data', 'mnist_like.csv');
  const r = nnb('make-data', 'digits', '-o', csv, '--rows', '300', '--seed', '7');
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /wrote .*mnist_like\.csv \(300 rows/);
  const fromCsv = await readCsv(csv, { label: 'label' });
  const direct = digits({ n: 300, seed: 7 });
  assert.deepEqual(fromCsv.x.shape, [300, 784]);
  assert.deepEqual(Array.from(fromCsv.x.data), Array.from(direct.x.data));
  assert.deepEqual(Array.from(fromCsv.y.data), Array.from(direct.y.data));
  assert.equal(new Set(direct.y.data).size, 10);

  assert.equal(nnb('make-data', 'cats', '-o', csv).code, 2);
  const bad = nnb('make-data', 'digits', '-o', csv, '--rows', '0');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--rows expects a whole number > 0, got '0'/);
});

test('nnb train runs the MLP example on that CSV to a complete run folder and learns (exit 0)', () => {
  const model = join(dir, 'mlp_28x28.nnb.json');
  copyFileSync(join(EXAMPLES, 'mlp_28x28.nnb.json'), model);
  const r = nnb('train', model, '--epochs', '3', '--out', join(dir, 'runs'));
  assert.equal(r.code, 0, r.err + r.out);
  assert.match(r.out, /completed: Trained 15 steps/);
  const runs = join(dir, 'runs', 'mlp_28x28');
  const [stamp] = readdirSync(runs);
  const run = join(runs, stamp);
  for (const f of ['config.json', 'metrics.jsonl', 'model.safetensors', 'result.json']) assert.ok(existsSync(join(run, f)), f);
  const result = JSON.parse(readFileSync(join(run, 'result.json'), 'utf8'));
  assert.ok(result.final.valAccuracy > 0.5, `validation accuracy ${result.final.valAccuracy} after 3 epochs of learnable digits`);
});

test('nnb train: a missing data file fails with exit 1 and names it', () => {
  const model = join(dir, 'elsewhere', 'mlp_28x28.nnb.json');
  spawnSync('mkdir', ['-p', join(dir, 'elsewhere')]);
  copyFileSync(join(EXAMPLES, 'mlp_28x28.nnb.json'), model);
  const r = nnb('train', model, '--out', join(dir, 'runs2'));
  assert.equal(r.code, 1);
  assert.match(r.err + r.out, /mnist_like\.csv/);
});
