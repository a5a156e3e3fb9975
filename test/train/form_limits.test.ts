// The training form's number inputs refuse exactly what the document schema refuses: for every number
// field of every optimizer and schedule in the tables, and every number of the section itself, a sweep
// of values is typed into the form's rule (webview/training/number_rule.ts, as the inputs use it) and
// written into a section that the grammar parses; both must agree on each value.
import test from 'node:test';
import assert from 'node:assert/strict';
import { OPTIMIZERS, OPTIMIZER_NAMES } from '../../engine/optim/table';
import { SCHEDULES, SCHEDULE_NAMES } from '../../engine/optim/schedule_table';
import { SECTION_FIELDS, type SectionNumber } from '../../engine/graph/training';
import type { FieldSpec, FieldTable } from '../../engine/optim/hyper';
import { parseTrainingSection } from '../../engine/train/config';
import { parseNumber, ruleOf } from '../../webview/training/number_rule';

const SWEEP = [-1, -0.5, 0, 1e-9, 0.05, 0.5, 0.9, 0.95, 0.999, 1, 1.5, 2, 2.5, 3, 10, 1e6];
const base = { data: { kind: 'builtin', name: 'spiral' }, loss: 'MSELoss', optimizer: { type: 'SGD', lr: 0.1 }, epochs: 3 };

const schemaAccepts = (section: unknown) => {
  try {
    parseTrainingSection(section);
    return true;
  } catch {
    return false;
  }
};

/** Every number (and each number of a pair) of a table, typed into the form and written into `place`. */
function agree(where: string, fields: Readonly<Record<string, FieldSpec | SectionNumber>>, place: (name: string, value: unknown) => unknown): number {
  let checked = 0;
  for (const [name, f] of Object.entries(fields)) {
    const kind = 'kind' in f ? f.kind : 'number';
    if (kind === 'boolean') continue;
    for (const v of SWEEP) {
      // Each number of a pair is its own input, optional (an emptied one takes its default).
      const form: boolean = parseNumber(String(v), ruleOf(kind === 'pair' ? { ...f, required: false } : f)).ok;
      const schema = schemaAccepts(place(name, kind === 'pair' ? [v, v] : v));
      assert.equal(
        form,
        schema,
        `${where}.${name} = ${v}: the form ${form ? 'accepts' : 'refuses'} it, the schema ${schema ? 'accepts' : 'refuses'} it`,
      );
      checked++;
    }
  }
  return checked;
}

test('every optimizer field: the form refuses what the schema refuses', () => {
  let checked = 0;
  for (const type of OPTIMIZER_NAMES) {
    checked += agree(type, OPTIMIZERS[type].fields, (name, value) => ({
      ...base,
      optimizer: { type, lr: OPTIMIZERS[type].fields.lr.default, [name]: value },
    }));
  }
  assert.ok(checked > 100, `${checked} values checked`);
});

test('every schedule field: the form refuses what the schema refuses', () => {
  for (const type of SCHEDULE_NAMES) {
    const required = Object.fromEntries(
      Object.entries(SCHEDULES[type].fields as FieldTable)
        .filter(([, f]) => f.required)
        .map(([k, f]) => [k, f.default]),
    );
    agree(type, SCHEDULES[type].fields, (name, value) => ({ ...base, schedule: { type, ...required, [name]: value } }));
  }
});

test("the section's own numbers (epochs, batch size, validation split, seed, intervals): the form refuses what the schema refuses", () => {
  agree('training', SECTION_FIELDS, (name, value) => ({ ...base, [name]: value }));
  // The limit the form used to repeat by hand: a validation split of 1 leaves nothing to train on.
  assert.equal(parseNumber('1', ruleOf(SECTION_FIELDS.validationSplit)).ok, false);
  assert.deepEqual(parseNumber('1', ruleOf(SECTION_FIELDS.validationSplit)), { ok: false, reason: 'at most 0.9' });
});
