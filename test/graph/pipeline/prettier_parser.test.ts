/**
 * formatTypeScript uses prettier's babel-ts parser because it is faster and smaller than its typescript
 * parser; this holds it to printing exactly what the typescript parser prints for the code we generate,
 * on every example, every fixture and the 500-node bench document.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { formatTypeScript, generateTypeScriptRaw } from '../../../engine/graph';
import { bigDocument } from '../../../bench/graph';
import { loadCases } from '../helpers';

test('the babel-ts parser formats generated TypeScript exactly as the typescript parser does', async () => {
  const [prettier, typescript, estree] = await Promise.all([
    import('prettier/standalone'),
    import('prettier/plugins/typescript'),
    import('prettier/plugins/estree'),
  ]);
  const docs = [...loadCases().map((c) => [basename(c.file), c.doc] as const), ['bench document', bigDocument(500)] as const];
  for (const [name, doc] of docs) {
    const raw = generateTypeScriptRaw(doc);
    const reference = await prettier.format(raw, {
      parser: 'typescript',
      plugins: [typescript, estree as never],
      singleQuote: true,
      printWidth: 100,
    });
    assert.equal(await formatTypeScript(raw), reference, name);
  }
});
