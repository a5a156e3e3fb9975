// The Problems panel (extension/editor/diagnostics.ts) on the documents of issue 15: each gets its
// problems, on a line of the document, with short messages, and none makes computeDiagnostics throw
// (which would leave the panel stale). The size warning follows the user's setting.
import test from 'node:test';
import assert from 'node:assert/strict';
import { installFakeVscode, fake, settings, Uri } from '../train/fake_vscode';

installFakeVscode();
// What computeDiagnostics needs of the API beyond the training host's fake.
class Diagnostic {
  source?: string;
  code?: string | { value: string; target: { toString(): string } };
  constructor(
    readonly range: { line: number },
    readonly message: string,
    readonly severity: number,
  ) {}
}
Object.assign(fake, { Diagnostic, DiagnosticSeverity: { Error: 0, Warning: 1 } });
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { computeDiagnostics } = require('../../extension/editor/diagnostics') as typeof import('../../extension/editor/diagnostics');

/** A TextDocument over `text`: lineAt throws outside the document, as VS Code's does. */
function textDocument(text: string) {
  const lines = text.split('\n');
  return {
    uri: Uri.file('/ws/m.nnb.json'),
    getText: () => text,
    lineCount: lines.length,
    lineAt: (i: number) => {
      if (!Number.isInteger(i) || i < 0 || i >= lines.length) throw new Error(`Illegal value for line: ${i}`);
      return { range: { line: i } };
    },
  };
}
/** A diagnostic's code: the node's id, given as a link's value. */
const codeOf = (d: Diagnostic) => (typeof d.code === 'object' ? d.code.value : d.code);
const diagnose = (text: string) => computeDiagnostics(textDocument(text) as never) as unknown as Diagnostic[];
const model = (m: unknown, extra: object = {}) =>
  JSON.stringify({ format: 'nnblocks.model/1', name: 'm', input: { shape: [4] }, model: m, ...extra }, null, 2);

test('documents that crashed or broke later get their problems on the right node, with short messages', () => {
  const long = 'Q'.repeat(1_000_000);
  const cases: [string, string, RegExp, string?][] = [
    [
      'prototype block',
      model(
        { id: 'net', op: 'Sequential', children: [{ id: 'b1', op: 'Block', block: 'constructor' }] },
        { blocks: { real: { body: { id: 'r', op: 'ReLU' } } } },
      ),
      /there is no block named "constructor"/,
      'b1',
    ],
    [
      'duplicate inputs',
      model({ id: 'g', op: 'Graph', inputs: ['x', 'x'], nodes: [{ id: 'r', op: 'ReLU' }], edges: [{ id: 'e', from: 'x', to: 'r' }], outputs: ['r'] }),
      /declared twice/,
      'g',
    ],
    ['merge in a chain', model({ id: 'net', op: 'Sequential', children: [{ id: 'sum', op: 'add' }] }), /works only as a node of a Graph/, 'sum'],
    [
      'huge op',
      model({ id: 'net', op: 'Sequential', children: [{ id: 'x', op: long }] }),
      /unknown layer type "Q{60}"… \(1,000,000 characters\)/,
      'x',
    ],
    [
      'deep nesting',
      `{"format":"nnblocks.model/1","name":"m","input":{"shape":[4]},"model":${'{"id":"s","op":"Sequential","children":['.repeat(5000)}{"id":"r","op":"ReLU"}${']}'.repeat(5000)}}`,
      /nodes nest more than 32 levels deep/,
    ],
    ['bad JSON', '{"format": ', /not valid JSON/],
  ];
  for (const [name, text, message, id] of cases) {
    const ds = diagnose(text);
    const hit = ds.find((d) => message.test(d.message));
    assert.ok(hit, `${name}: ${JSON.stringify(ds.map((d) => d.message.slice(0, 200)))}`);
    if (id !== undefined) assert.equal(codeOf(hit), id, name);
    for (const d of ds) assert.ok(d.message.length < 2000, `${name}: a message of ${d.message.length} characters`);
  }
});

test('the size warning starts at the nnblocks.sizeWarningParameters setting', () => {
  const text = model({ id: 'net', op: 'Sequential', children: [{ id: 'fc', op: 'Linear', args: { inFeatures: 4, outFeatures: 100 } }] });
  assert.deepEqual(diagnose(text), []);
  settings['nnblocks.sizeWarningParameters'] = 100;
  try {
    const [d] = diagnose(text);
    assert.equal(codeOf(d), 'net');
    assert.equal(d.severity, 1);
    assert.match(d.message, /the model has 500 parameters: its weights alone take 2\.0 kB as float32/);
  } finally {
    delete settings['nnblocks.sizeWarningParameters'];
  }
});

test("a node's problem has the node's id as its code, a link that reveals the node in the graph editor", () => {
  const text = model({ id: 'net', op: 'Sequential', children: [{ id: 'fc1', op: 'Linear', args: { inFeatures: 5, outFeatures: 3 } }] });
  const withId = diagnose(text).find((d) => typeof d.code === 'object');
  assert.ok(withId, 'a diagnostic with a code link');
  const code = withId.code as { value: string; target: { toString(): string } };
  assert.equal(code.value, 'fc1');
  const target = code.target.toString();
  assert.match(target, /^command:nnblocks\.revealNode\?/);
  assert.deepEqual(JSON.parse(decodeURIComponent(target.split('?')[1])), ['file:///ws/m.nnb.json', 'fc1']);
});
