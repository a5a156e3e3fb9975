/** The training section → run config: the grammar's refusals with JSON paths, defaults from the tables, overrides. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveRunConfig, ConfigError } from '../../engine/train/config';
import { OPTIMIZER_NAMES } from '../../engine/optim/table';
import { prepareForLoss, ChoiceError } from '../../engine/train/validate';
import { Tensor } from '../../engine/tensor';

test('the tutorial section resolves with defaults filled in from the tables', () => {
  const c = resolveRunConfig('spiral', {
    data: { kind: 'builtin', name: 'spiral' },
    loss: 'BCEWithLogitsLoss',
    optimizer: { type: 'SGD', lr: 1 },
    epochs: 10000,
  });
  assert.deepEqual(c.data, { kind: 'builtin', name: 'spiral' });
  assert.deepEqual(c.loss, { type: 'BCEWithLogitsLoss', reduction: 'mean' });
  assert.deepEqual(c.optimizer, { type: 'SGD', lr: 1, options: { momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false } });
  assert.equal(c.batchSize, null);
  assert.equal(c.schedule, null);
  assert.equal(c.validationSplit, 0);
  assert.equal(c.seed, 0);
  assert.equal(c.shuffle, true);
});

test('written fields override the defaults of their optimizer and schedule', () => {
  const c = resolveRunConfig('m', {
    data: { kind: 'csv', path: 'd.csv', label: 'y', features: ['a', 'b'] },
    loss: { type: 'CrossEntropyLoss', reduction: 'sum' },
    optimizer: { type: 'AdamW', lr: 0.01, betas: [0.8, 0.9] },
    schedule: { type: 'StepLR', stepSize: 5 },
    epochs: 3,
    batchSize: 32,
    validationSplit: 0.2,
  });
  assert.deepEqual(c.data, { kind: 'csv', path: 'd.csv', features: ['a', 'b'], label: 'y' });
  assert.deepEqual(c.loss, { type: 'CrossEntropyLoss', reduction: 'sum' });
  // AdamW's own default weight decay (0.01), not Adam's (0).
  assert.deepEqual(c.optimizer, {
    type: 'AdamW',
    lr: 0.01,
    options: { betas: [0.8, 0.9], eps: 1e-8, weightDecay: 0.01, amsgrad: false, maximize: false },
  });
  assert.deepEqual(c.schedule, { type: 'StepLR', stepSize: 5, gamma: 0.1 });
  assert.equal(c.batchSize, 32);
  assert.equal(c.validationSplit, 0.2);
});

test('command-line overrides replace the section values, within the same limits', () => {
  const section = { data: { kind: 'csv', path: 'a.csv', label: 'y' }, loss: 'MSELoss', epochs: 5, optimizer: { type: 'SGD', lr: 0.1 } };
  const c = resolveRunConfig('m', section, { epochs: 2, data: '/tmp/b.csv', lr: 0.5, seed: 9 });
  assert.equal(c.epochs, 2);
  assert.deepEqual(c.data, { kind: 'csv', path: '/tmp/b.csv', label: 'y' });
  assert.equal(c.optimizer.lr, 0.5);
  assert.equal(c.seed, 9);
  assert.throws(() => resolveRunConfig('m', section, { epochs: 0 }), /^ConfigError: --epochs: expected a whole number >= 1, found 0$/);
  assert.throws(() => resolveRunConfig('m', section, { lr: -1 }), /^ConfigError: --lr: expected a number > 0, found -1$/);
});

const base = { data: { kind: 'builtin', name: 'spiral' }, loss: 'MSELoss', optimizer: { type: 'SGD', lr: 0.1 }, epochs: 3 };

test('spellings from elsewhere are refused with the path, the field and the field it likely meant', () => {
  const bad: [unknown, string][] = [
    [
      { ...base, batch_size: 32 },
      "training: unknown field 'batch_size' (did you mean 'batchSize'?); the fields here are data, loss, optimizer, schedule, epochs, batchSize, shuffle, dropLast, validationSplit, seed, checkpointEvery, logEvery",
    ],
    [{ ...base, valSplit: 0.2 }, "training: unknown field 'valSplit' (did you mean 'validationSplit'?)"],
    [
      { ...base, optimizer: { type: 'SGD', lr: 0.1, learning_rate: 0.5 } },
      "training.optimizer: unknown field 'learning_rate' (did you mean 'lr'?); the fields here are type, lr, momentum, dampening, weightDecay, nesterov, maximize",
    ],
    [
      { ...base, optimizer: { type: 'Adam', lr: 0.1, weight_decay: 0.1 } },
      "training.optimizer: unknown field 'weight_decay' (did you mean 'weightDecay'?)",
    ],
    [{ ...base, validationSplit: 1 }, 'training.validationSplit: expected a number >= 0 and <= 0.9, found 1'],
    // A field of another optimizer is not silently ignored.
    [{ ...base, optimizer: { type: 'SGD', lr: 0.1, betas: [0.9, 0.99] } }, "training.optimizer: unknown field 'betas'"],
    [{ ...base, data: { csv: 'd.csv' } }, 'training.data.kind: expected one of builtin, csv, safetensors'],
  ];
  for (const [section, message] of bad) {
    assert.throws(
      () => resolveRunConfig('m', section),
      (e: unknown) => e instanceof ConfigError && e.message.startsWith(message),
      `${JSON.stringify(section)} should fail with ${message}`,
    );
  }
});

test('errors name the JSON path and what was expected', () => {
  const bad: [unknown, RegExp][] = [
    [{ ...base, optimizer: { type: 'SGD', lr: 0 } }, /^training\.optimizer\.lr: expected a number > 0, found 0$/],
    [
      { ...base, optimizer: { type: 'LBFGS', lr: 0.1 } },
      new RegExp(`^training\\.optimizer\\.type: expected one of ${OPTIMIZER_NAMES.join(', ')} \\(the optimizers NN Blocks knows\\)$`),
    ],
    [{ ...base, optimizer: { type: 'SGD', lr: 0.1, nesterov: true } }, /^training\.optimizer\.nesterov: Nesterov momentum needs a momentum above 0/],
    [
      { ...base, optimizer: { type: 'Adam', lr: 0.1, betas: [0.9, 1] } },
      /^training\.optimizer\.betas\[1\]: expected a number >= 0 and < 1, found 1$/,
    ],
    [{ ...base, epochs: 2.5 }, /^training\.epochs: expected a whole number >= 1, found 2\.5$/],
    [{ ...base, batchSize: -3 }, /^training\.batchSize: expected a whole number >= 1, found -3$/],
    [{ ...base, data: { kind: 'csv' } }, /^training\.data\.path: required/],
    [
      { ...base, data: { kind: 'builtin', name: 'circles' } },
      /^training\.data\.name: Invalid enum value\. Expected 'flower' \| 'moons' \| 'quadratic' \| 'spiral'/,
    ],
    [{ ...base, loss: 'HingeLoss' }, /^training\.loss: expected one of "MSELoss"/],
    [{ ...base, schedule: { type: 'StepLR', stepSize: 0 } }, /^training\.schedule\.stepSize: expected a whole number >= 1, found 0$/],
    [{ ...base, epochs: undefined }, /^training\.epochs: required: expected a number$/],
  ];
  for (const [section, message] of bad) {
    assert.throws(
      () => resolveRunConfig('m', section),
      (e: unknown) => e instanceof ConfigError && message.test(e.message),
      JSON.stringify(section),
    );
  }
});

test('a document without a training section trains the default section', () => {
  const c = resolveRunConfig('m', undefined);
  assert.deepEqual([c.data.kind, c.loss.type, c.optimizer.type, c.epochs], ['builtin', 'MSELoss', 'SGD', 10]);
});

test('loss checks say what to change', () => {
  const x = new Tensor(new Float32Array(8), [4, 2]);
  const labels = (v: number[]) => new Tensor(Float32Array.from(v), [4, 1]);
  assert.throws(
    () => prepareForLoss('CrossEntropyLoss', x, labels([0, 1, 2, 0]), [2], 2),
    (e: unknown) => e instanceof ChoiceError && /labels go up to 2 \(3 classes\).*set the last layer's output size to 3/.test(e.message),
  );
  assert.throws(() => prepareForLoss('CrossEntropyLoss', x, labels([0, 0.5, 1, 0]), [2], 2), /needs integer class labels.*sample 2 has label 0.5/);
  assert.throws(
    () => prepareForLoss('BCEWithLogitsLoss', x, labels([0, 1, 1, 0]), [2], 2),
    /one logit per sample.*set the last layer's output size to 1/,
  );
  assert.throws(() => prepareForLoss('BCEWithLogitsLoss', x, labels([0, 3, 1, 0]), [2], 1), /labels between 0 and 1.*sample 2 has 3/);
  assert.throws(() => prepareForLoss('MSELoss', x, labels([0, 3, 1, 0]), [3], 1), /2 feature value\(s\) per sample but the model's input is \[3\]/);
  const ok = prepareForLoss('CrossEntropyLoss', x, labels([0, 1, 2, 0]), [2], 3);
  assert.deepEqual(ok.y.shape, [4]);
  assert.equal(ok.task, 'multiclass');
  const img = prepareForLoss('MSELoss', new Tensor(new Float32Array(16), [4, 4]), labels([0, 3, 1, 0]), [1, 2, 2], 1);
  assert.deepEqual(img.x.shape, [4, 1, 2, 2]);
});
