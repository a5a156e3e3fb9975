/**
 * The templates of "NN Blocks: New Model...": the six the editor offers, each a valid model with no
 * analysis errors whose name is a valid identifier (New Model proposes it as the file and class name).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument, isIdentifier, parseDocument } from '../../engine/graph';
import { TEMPLATES } from '../../extension/templates';

test('New Model offers blank, the flower classifier, the 28x28 MLP, nested blocks, shared weights and the two-branch Module', () => {
  assert.deepEqual(
    TEMPLATES.map((t) => t.label),
    ['Blank', 'Flower classifier', '28x28 MLP', 'Nested blocks', 'Shared weights', 'Two-branch Module'],
  );
  assert.equal(new Set(TEMPLATES.map((t) => t.id)).size, TEMPLATES.length);
});

test('every template is a valid model without errors, with an identifier for a name', () => {
  for (const t of TEMPLATES) {
    const doc = parseDocument(t.document, `${t.id} template`);
    assert.ok(isIdentifier(doc.name), `${t.id}: name ${doc.name}`);
    assert.deepEqual(
      analyzeDocument(doc).diagnostics.filter((d) => d.severity === 'error'),
      [],
      t.id,
    );
  }
  const twoBranch = parseDocument(TEMPLATES.find((t) => t.id === 'twoBranch')?.document);
  assert.equal(twoBranch.model.op, 'Graph', 'the two-branch Module has a custom forward');
});
