/** What the user types for Predict: samples of numbers and CSV row selections, with errors that say what is wrong. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inputsError, parseInputs, parseRowSpec, MAX_PREDICT_ROWS } from '../../engine/train/inputs';

test('typed samples split on semicolons or lines, values on commas or spaces', () => {
  assert.deepEqual(parseInputs('0.5, -1; 2 0.1'), [
    [0.5, -1],
    [2, 0.1],
  ]);
  assert.deepEqual(parseInputs('1e-3,2\n\n  -4 , 5  \n'), [
    [0.001, 2],
    [-4, 5],
  ]);
});

test('a value that is not a finite number is named with its sample and position', () => {
  assert.throws(() => parseInputs('1, 2; 3, abc'), /^Error: 'abc' \(sample 2, value 2\) is not a number$/);
  assert.throws(() => parseInputs('1, NaN'), /'NaN' \(sample 1, value 2\) is not a number/);
  assert.throws(() => parseInputs('1e999'), /'1e999' \(sample 1, value 1\) is not a number/);
  assert.throws(() => parseInputs(', 1'), /'' \(sample 1, value 1\) is not a number/);
  assert.throws(() => parseInputs(' ; '), /no input values/);
  assert.equal(inputsError('1, 2'), undefined);
  assert.equal(inputsError('1, x'), "'x' (sample 1, value 2) is not a number");
});

test('row selections count from 1, keep their order, and refuse what is not a row or a rising range', () => {
  assert.deepEqual(parseRowSpec('3, 1-2, 9'), [3, 1, 2, 9]);
  assert.throws(() => parseRowSpec('a'), /'a' is not a row number or a range like 1-5/);
  assert.throws(() => parseRowSpec('0'), /rows count from 1/);
  assert.throws(() => parseRowSpec('5-2'), /a range goes up/);
  assert.throws(() => parseRowSpec(''), /no rows given/);
  assert.throws(() => parseRowSpec(`1-${MAX_PREDICT_ROWS + 1}`), new RegExp(`at most ${MAX_PREDICT_ROWS} rows`));
});
