/** The training section → run config: defaults, the accepted spellings, overrides, and errors with JSON paths. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveRunConfig, ConfigError } from '../../engine/train/config';
import { prepareForLoss, ChoiceError } from '../../engine/train/validate';
import { Tensor } from '../../engine/tensor';

test('the tutorial section resolves with defaults filled in', () => {
  const c = resolveRunConfig('spiral', { data: { kind: 'builtin', name: 'spiral' }, loss: 'BCEWithLogitsLoss', optimizer: { type: 'SGD', lr: 1 }, epochs: 10000 });
  assert.deepEqual(c.data, { kind: 'builtin', name: 'spiral', options: {} });
  assert.deepEqual(c.loss, { type: 'BCEWithLogitsLoss', reduction: 'mean' });
  assert.deepEqual(c.optimizer, { type: 'SGD', lr: 1, options: {} });
  assert.equal(c.batchSize, null);
  assert.equal(c.schedule, null);
  assert.equal(c.validationSplit, 0);
  assert.equal(c.seed, 0);
  assert.equal(c.shuffle, true);
});

test('PyTorch spellings, nested options and short data forms are accepted', () => {
  const c = resolveRunConfig('m', {
    data: { csv: 'd.csv', label: 'y', features: ['a', 'b'] },
    loss: { name: 'crossentropyloss', reduction: 'sum' },
    optimizer: { name: 'adamw', options: { lr: 0.01, weight_decay: 0.1, betas: [0.8, 0.9] } },
    scheduler: { type: 'StepLR', step_size: 5, gamma: 0.5 },
    batch_size: 32,
    validation_split: 0.2,
  });
  assert.deepEqual(c.data, { kind: 'csv', path: 'd.csv', features: ['a', 'b'], label: 'y' });
  assert.deepEqual(c.loss, { type: 'CrossEntropyLoss', reduction: 'sum' });
  assert.deepEqual(c.optimizer, { type: 'AdamW', lr: 0.01, options: { weightDecay: 0.1, betas: [0.8, 0.9] } });
  assert.deepEqual(c.schedule, { type: 'StepLR', stepSize: 5, gamma: 0.5 });
  assert.equal(c.batchSize, 32);
  assert.equal(c.validationSplit, 0.2);
});

test('command-line overrides replace the section values', () => {
  const c = resolveRunConfig('m', { data: { kind: 'csv', path: 'a.csv', label: 'y' }, epochs: 5, optimizer: { type: 'SGD', lr: 0.1 } }, { epochs: 2, data: '/tmp/b.csv', lr: 0.5, seed: 9 });
  assert.equal(c.epochs, 2);
  assert.deepEqual(c.data, { kind: 'csv', path: '/tmp/b.csv', features: null, label: 'y' });
  assert.equal(c.optimizer.lr, 0.5);
  assert.equal(c.seed, 9);
});

test('errors name the JSON path and what was expected', () => {
  const bad: [unknown, RegExp][] = [
    [{ optimizer: { type: 'SGD', lr: 0 } }, /^training\.optimizer\.lr: expected a learning rate > 0, found 0$/],
    [{ optimizer: { type: 'Adamax' } }, /^training\.optimizer\.type: expected one of SGD, Adam, AdamW, Adagrad, RMSprop, found "Adamax"$/],
    [{ epochs: 2.5 }, /^training\.epochs: expected a whole number of epochs > 0/],
    [{ batchSize: -3 }, /^training\.batchSize: expected a whole number > 0, or 'full'/],
    [{ validationSplit: 1 }, /^training\.validationSplit: expected a fraction in \[0, 1\)/],
    [{ data: { kind: 'csv' } }, /^training\.data\.path: expected the path of the data file/],
    [{ data: 'circles' }, /^training\.data: 'circles' is neither a built-in set/],
    [{ loss: 'HingeLoss' }, /^training\.loss: expected one of MSELoss/],
    [{ schedule: { type: 'StepLR', stepSize: 0 } }, /^training\.schedule\.stepSize: expected a whole number of epochs > 0/],
  ];
  for (const [section, message] of bad) {
    assert.throws(() => resolveRunConfig('m', section), (e: unknown) => e instanceof ConfigError && message.test(e.message), JSON.stringify(section));
  }
});

test('loss checks say what to change', () => {
  const x = new Tensor(new Float32Array(8), [4, 2]);
  const labels = (v: number[]) => new Tensor(Float32Array.from(v), [4, 1]);
  assert.throws(() => prepareForLoss('CrossEntropyLoss', x, labels([0, 1, 2, 0]), [2], 2), (e: unknown) => e instanceof ChoiceError && /labels go up to 2 \(3 classes\).*set the last layer's output size to 3/.test(e.message));
  assert.throws(() => prepareForLoss('CrossEntropyLoss', x, labels([0, 0.5, 1, 0]), [2], 2), /needs integer class labels.*sample 2 has label 0.5/);
  assert.throws(() => prepareForLoss('BCEWithLogitsLoss', x, labels([0, 1, 1, 0]), [2], 2), /one logit per sample.*set the last layer's output size to 1/);
  assert.throws(() => prepareForLoss('BCEWithLogitsLoss', x, labels([0, 3, 1, 0]), [2], 1), /labels between 0 and 1.*sample 2 has 3/);
  assert.throws(() => prepareForLoss('MSELoss', x, labels([0, 3, 1, 0]), [3], 1), /2 feature value\(s\) per sample but the model's input is \[3\]/);
  const ok = prepareForLoss('CrossEntropyLoss', x, labels([0, 1, 2, 0]), [2], 3);
  assert.deepEqual(ok.y.shape, [4]);
  assert.equal(ok.task, 'multiclass');
  const img = prepareForLoss('MSELoss', new Tensor(new Float32Array(16), [4, 4]), labels([0, 3, 1, 0]), [1, 2, 2], 1);
  assert.deepEqual(img.x.shape, [4, 1, 2, 2]);
});
