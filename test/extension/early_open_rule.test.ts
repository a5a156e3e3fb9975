/**
 * The rule for models found in text tabs when the extension starts (extension/editor/early_open_rule.ts):
 * reopened with the graph editor unless text was chosen, associated elsewhere, or unsaved; the choices
 * that tabs opened later record; editorAssociations' globs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { associatedEditor, choicesAfterOpening, decideAtStart, type TabView } from '../../extension/editor/early_open_rule';

const GRAPH = 'nnblocks.modelEditor';
const uri = 'file:///ws/flower.nnb.json';
const tab = (over: Partial<TabView> = {}): TabView => ({ uri, editor: 'text', active: true, dirty: false, ...over });

test('a model shown in a text tab at start is reopened with the graph editor; a background one when shown', () => {
  assert.equal(decideAtStart(tab(), new Set(), undefined, GRAPH), 'reopen');
  assert.equal(decideAtStart(tab({ active: false }), new Set(), undefined, GRAPH), 'whenShown');
  assert.equal(decideAtStart(tab(), new Set(), GRAPH, GRAPH), 'reopen', 'associated with the graph editor itself');
});

test('a text tab the user chose, one editorAssociations sends elsewhere, and one with unsaved changes stay text', () => {
  assert.equal(decideAtStart(tab(), new Set([uri]), undefined, GRAPH), 'chosenText');
  assert.equal(decideAtStart(tab({ active: false }), new Set([uri]), undefined, GRAPH), 'chosenText');
  assert.equal(decideAtStart(tab(), new Set(), 'default', GRAPH), 'chosenText');
  assert.equal(decideAtStart(tab({ dirty: true }), new Set(), undefined, GRAPH), 'unsaved');
});

test('tabs that are not models in the text editor are left alone', () => {
  assert.equal(decideAtStart(tab({ editor: 'graph' }), new Set(), undefined, GRAPH), 'ignore');
  assert.equal(decideAtStart(tab({ editor: 'other' }), new Set(), undefined, GRAPH), 'ignore');
  assert.equal(decideAtStart(tab({ uri: 'file:///ws/package.json' }), new Set(), undefined, GRAPH), 'ignore');
  assert.equal(decideAtStart(tab({ uri: 'file:///ws/model.nnb.json.bak' }), new Set(), undefined, GRAPH), 'ignore');
  assert.equal(decideAtStart(tab({ uri: 'vscode-remote://h/ws/MODEL.NNB.JSON?x=1' }), new Set(), undefined, GRAPH), 'reopen');
});

test('a model opened as text while the extension runs is a choice; opening it in the graph editor takes it back', () => {
  const other = 'file:///ws/mlp.nnb.json';
  const chosen = choicesAfterOpening(new Set([other]), [tab(), tab({ uri: 'file:///ws/notes.json' })]);
  assert.deepEqual([...chosen].sort(), [uri, other].sort());
  assert.deepEqual([...choicesAfterOpening(chosen, [tab({ editor: 'graph' })])], [other]);
  assert.deepEqual([...choicesAfterOpening(chosen, [tab({ editor: 'other' })])].sort(), [uri, other].sort(), 'a diff of the model is no choice');
  assert.deepEqual(
    [...choicesAfterOpening(new Set(), [tab()], () => 'default', GRAPH)],
    [],
    'editorAssociations opened it as text: the setting is the choice',
  );
  assert.deepEqual([...choicesAfterOpening(new Set(), [tab()], () => GRAPH, GRAPH)], [uri]);
});

test('editorAssociations: file-name globs, path globs, the most specific wins, the old list form', () => {
  assert.equal(associatedEditor({ '*.nnb.json': 'default' }, '/ws/a/flower.nnb.json'), 'default');
  assert.equal(associatedEditor({ '*.json': 'default' }, '/ws/flower.nnb.json'), 'default');
  assert.equal(associatedEditor({ '*.csv': 'default' }, '/ws/flower.nnb.json'), undefined);
  assert.equal(associatedEditor({ 'models/*.nnb.json': 'default' }, '/ws/models/flower.nnb.json'), 'default');
  assert.equal(associatedEditor({ 'models/*.nnb.json': 'default' }, '/ws/other/flower.nnb.json'), undefined);
  assert.equal(associatedEditor({ '**/drafts/**': 'default' }, '/ws/drafts/x/flower.nnb.json'), 'default');
  assert.equal(associatedEditor({ '*.json': 'default', '*.nnb.json': GRAPH }, '/ws/flower.nnb.json'), GRAPH);
  assert.equal(associatedEditor([{ viewType: 'default', filenamePattern: '*.nnb.json' }], '/ws/flower.nnb.json'), 'default');
  assert.equal(associatedEditor(undefined, '/ws/flower.nnb.json'), undefined);
  assert.equal(associatedEditor({ '*.nnb.json': 42 }, '/ws/flower.nnb.json'), undefined);
});
