/**
 * The protocol between host and webview (protocol/): every edit kind the schema lists is one `applyEdit`
 * acts on, a message that does not parse is answered with what was wrong in it (field by field), the
 * training panel's messages are checked field by field, and a saved UI state keeps what is valid in it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdit, copyNodes } from '../../engine/graph/edits';
import { HostMessageSchema } from '../../protocol/editor';
import { EditOpSchema, type EditOp } from '../../protocol/edits';
import { parseWebviewMessage } from '../../protocol/messages';
import { isPanelToHost } from '../../protocol/training';
import { readUiState } from '../../protocol/ui_state';
import { example } from '../edits/helpers';

const twoBranch = example('two_branch');
/** One operation of every kind: the type makes this table name them all, so a new kind cannot be left out. */
const SAMPLES: { [K in EditOp['kind']]: Extract<EditOp, { kind: K }> } = {
  addNode: { kind: 'addNode', op: 'ReLU', placement: { after: 'layer1' } },
  connect: { kind: 'connect', graph: 'g', from: 'x', to: 'head' },
  setOutput: { kind: 'setOutput', graph: 'g', node: 'layer1' },
  disconnect: { kind: 'disconnect', graph: 'g', edges: ['e1'] },
  delete: { kind: 'delete', ids: ['head'] },
  group: { kind: 'group', ids: ['l2_fc'] },
  ungroup: { kind: 'ungroup', id: 'layer2' },
  reorder: { kind: 'reorder', id: 'l2_tanh', delta: -1 },
  makeBlock: { kind: 'makeBlock', id: 'layer2', name: 'branch' },
  shareWeights: { kind: 'shareWeights', id: 'head', ref: 'layer1' },
  untie: { kind: 'untie', id: 'layer1' },
  rename: { kind: 'rename', id: 'layer1', name: 'first' },
  setArgs: { kind: 'setArgs', id: 'layer1', args: { bias: false } },
  setInit: { kind: 'setInit', id: 'layer1', param: 'weight', init: { kind: 'zeros' } },
  paste: { kind: 'paste', payload: copyNodes(twoBranch, ['layer1']), placement: { container: 'g' } },
  setInputShape: { kind: 'setInputShape', shape: [3] },
  setTraining: { kind: 'setTraining', training: null },
};

test('every edit kind of the schema parses and is acted on by applyEdit (a result or a reason, never an exception)', () => {
  const kinds = EditOpSchema.options.map((o) => o.shape.kind.value).sort();
  assert.deepEqual(kinds, Object.keys(SAMPLES).sort());
  for (const op of Object.values(SAMPLES)) {
    const parsed = EditOpSchema.safeParse(op);
    assert.ok(parsed.success, `${op.kind}: ${parsed.success ? '' : parsed.error.message}`);
    const r = applyEdit(twoBranch, parsed.data);
    assert.ok(r.ok || !/the edit failed/.test(r.reason), `${op.kind}: ${r.ok ? '' : r.reason}`);
  }
  // What the editor does most, end to end: the parsed operation changes the document.
  const add = applyEdit(twoBranch, EditOpSchema.parse(SAMPLES.addNode));
  assert.ok(add.ok && JSON.stringify(add.doc).includes('"ReLU"'));
});

test('a message that does not parse says which field is wrong; one that parses is what the router acts on', () => {
  const cases: [unknown, RegExp][] = [
    [null, /not a message \(no "type"\)/],
    [{ type: 'edit', op: { kind: 'delete', ids: ['fc1', 3] }, seq: 1 }, /malformed "edit" message: op\.ids\.1: Expected string, received number/],
    [{ type: 'edit', op: { kind: 'format-disk' }, seq: 1 }, /op\.kind: Invalid discriminator value/],
    [{ type: 'edit', op: { kind: 'delete', ids: [] } }, /seq: Required/],
    [{ type: 'command', command: 'rm -rf' }, /command: Invalid enum value/],
    [{ type: 'nope' }, /malformed "nope" message: type: Invalid discriminator value/],
    [{ type: 'training/predict', runDir: 'runs/a' }, /a prediction needs inputs or rows/],
    [{ type: 'training/resume' }, /malformed "training\/resume" message: runDir: Required/],
  ];
  for (const [m, problem] of cases) {
    const r = parseWebviewMessage(m);
    assert.equal(r.ok, false, JSON.stringify(m));
    if (!r.ok) assert.match(r.problem, problem);
  }
  const edit = parseWebviewMessage({ type: 'edit', op: { kind: 'reorder', id: 'fc1', delta: 1 }, seq: 4 });
  assert.deepEqual(edit, { ok: true, message: { type: 'edit', op: { kind: 'reorder', id: 'fc1', delta: 1 }, seq: 4 } });
  assert.equal(parseWebviewMessage({ type: 'training/predict', runDir: 'runs/a', rows: '1-5' }).ok, true);
  assert.equal(parseWebviewMessage({ type: 'uiState', state: { collapsed: ['layer2'] } }).ok, true);
});

test('training panel messages are checked field by field', () => {
  const good = [
    { type: 'training/ready' },
    { type: 'training/compare', a: 'runs/a', b: 'runs/b' },
    { type: 'training/predict', runDir: 'runs/a', inputs: [[1, 2]] },
    { type: 'training/previewCsv', path: 'data.csv', section: { epochs: 3 }, seq: 2 },
  ];
  const bad = [
    { type: 'training/compare', a: 'runs/a' },
    { type: 'training/evaluate', runDir: '' },
    { type: 'training/predict', runDir: 'runs/a', inputs: [[1, Number.NaN]] },
    { type: 'training/predict', runDir: 'runs/a', inputs: [[1, '2']] },
    { type: 'training/previewCsv', path: 'data.csv', section: [1] },
    { type: 'training/start-everything' },
  ];
  for (const m of good) assert.equal(isPanelToHost(m), true, JSON.stringify(m));
  for (const m of bad) assert.equal(isPanelToHost(m), false, JSON.stringify(m));
});

test('a saved UI state keeps each valid field and defaults the others', () => {
  assert.equal(readUiState(undefined), null);
  assert.equal(readUiState('collapsed'), null);
  assert.deepEqual(
    readUiState({
      collapsed: ['layer2', 3],
      positions: { ':model': { fc1: { x: 1, y: 2 } } },
      viewport: { x: 0, y: 0, zoom: 1 },
      scope: 7,
      sideTab: 'training',
    }),
    {
      collapsed: [],
      positions: { ':model': { fc1: { x: 1, y: 2 } } },
      viewport: { x: 0, y: 0, zoom: 1 },
      scope: '',
      sideTab: 'training',
      selected: [],
    },
  );
});

test("the host's settings message carries the size limit, null for the default, and nothing negative", () => {
  assert.deepEqual(HostMessageSchema.parse({ type: 'settings', warnParams: 1000 }), { type: 'settings', warnParams: 1000 });
  assert.equal(HostMessageSchema.safeParse({ type: 'settings', warnParams: null }).success, true);
  assert.equal(HostMessageSchema.safeParse({ type: 'settings', warnParams: -1 }).success, false);
  assert.equal(HostMessageSchema.safeParse({ type: 'settings' }).success, false);
});
