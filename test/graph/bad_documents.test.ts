// The cases of issue 15, one by one: documents that crashed the analysis or were accepted and then broke
// code generation or export, models too big to allocate, deep nesting, huge strings. Each is refused
// with a message naming the node (or the path), or accepted and then works in every target.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { validateDocument, analyzeDocument, buildModel, generatePyTorch, toOnnxBytes, MAX_NESTING, type ModelDocument } from '../../engine/graph';
import { checkCommand } from '../../cli/check';
import { PYTHON, needsPyTorch } from '../helpers/system';
import { randn } from '../../engine';

const dir = mkdtempSync(join(tmpdir(), 'nnb-bad-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

type Json = Record<string, unknown>;
const doc = (model: Json, extra: Json = {}): Json => ({ format: 'nnblocks.model/1', name: 'm', input: { shape: [4] }, model, ...extra });
const linear = (id: string, i = 4, o = 4, name?: string): Json => ({
  id,
  op: 'Linear',
  args: { inFeatures: i, outFeatures: o },
  ...(name === undefined ? {} : { name }),
});
const seq = (id: string, children: Json[], name?: string): Json => ({ id, op: 'Sequential', children, ...(name === undefined ? {} : { name }) });

function accepted(value: Json): ModelDocument {
  const v = validateDocument(JSON.stringify(value, null, 2));
  assert.ok(v.ok, `refused: ${v.ok ? '' : JSON.stringify(v.issues)}`);
  return v.document;
}
const errors = (d: ModelDocument) => analyzeDocument(d).diagnostics.filter((x) => x.severity === 'error');

/** Compiles Python sources in one process; returns the failures. */
function pyCompile(sources: string[]): string {
  const files = sources.map((s, i) => {
    const f = join(dir, `case${i}_${Math.random().toString(36).slice(2)}.py`);
    writeFileSync(f, s);
    return f;
  });
  const r = spawnSync(PYTHON, ['-c', 'import py_compile,sys\nfor f in sys.argv[1:]: py_compile.compile(f, doraise=True)', ...files], {
    encoding: 'utf8',
  });
  return r.status === 0 ? '' : r.stderr;
}

test('a Block named after an Object.prototype member is an unknown block, not a crash', () => {
  for (const name of ['constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
    const d = accepted(doc(seq('net', [{ id: 'b1', op: 'Block', block: name }]), { blocks: { real: { body: linear('r') } } }));
    const e = errors(d);
    assert.ok(
      e.some((x) => x.id === 'b1' && x.message.includes(`there is no block named "${name}" (blocks: real)`)),
      JSON.stringify(e),
    );
    const r = checkCommand(
      JSON.stringify(doc(seq('net', [{ id: 'b1', op: 'Block', block: name }]), { blocks: { real: { body: linear('r') } } })),
      'm.nnb.json',
      false,
    );
    assert.equal(r.ok, false);
    assert.match(r.stderr, new RegExp(`m\\.nnb\\.json:\\d+: error: b1: there is no block named "${name}"`));
  }
  // Ids of that kind are ordinary keys of the analysis' maps.
  const d = accepted(doc(seq('constructor', [linear('toString'), linear('__proto__')])));
  const a = analyzeDocument(d);
  assert.deepEqual(errors(d), []);
  assert.deepEqual(a.nodeShapes['__proto__'], ['N', 4]);
  assert.equal(a.params['toString'], 20);
  assert.equal(analyzeDocument(accepted(doc(seq('net', [{ id: 'hasOwnProperty', op: 'Bogus' }])))).nodeShapes['hasOwnProperty'], undefined);
  // "__proto__" as a key would set the prototype of the copied object: refused by path.
  const bad = validateDocument(
    `{"format":"nnblocks.model/1","name":"m","input":{"shape":[4]},"model":{"id":"b","op":"Block","block":"__proto__"},"blocks":{"__proto__":{"body":{"id":"r","op":"ReLU"}}}}`,
  );
  assert.ok(!bad.ok && bad.issues.some((i) => i.path === 'blocks.__proto__' && /reserved by JavaScript/.test(i.message)), JSON.stringify(bad));
  const badArg = validateDocument(
    `{"format":"nnblocks.model/1","name":"m","input":{"shape":[4]},"model":{"id":"l","op":"Linear","args":{"inFeatures":4,"outFeatures":2,"__proto__":[1]}}}`,
  );
  assert.ok(!badArg.ok && badArg.issues.some((i) => i.path === 'model.args.__proto__'), JSON.stringify(badArg));
});

test('a Graph declaring one input name twice is an error on the Graph', () => {
  const g = { id: 'g', op: 'Graph', inputs: ['x', 'x'], nodes: [linear('a')], edges: [{ id: 'e1', from: 'x', to: 'a' }], outputs: ['a'] };
  const e = errors(accepted(doc(g)));
  assert.ok(
    e.some((x) => x.id === 'g' && /the input name "x" is declared twice/.test(x.message)),
    JSON.stringify(e),
  );
});

test('a merge outside a Graph (in a Sequential, as a block body) is an error on the merge', () => {
  const e = errors(accepted(doc(seq('net', [linear('a'), { id: 'sum', op: 'add' }]), { blocks: { b: { body: { id: 'cat', op: 'concat' } } } })));
  assert.ok(
    e.some((x) => x.id === 'sum' && /add is a merge of several tensors: it works only as a node of a Graph/.test(x.message)),
    JSON.stringify(e),
  );
  assert.ok(
    e.some((x) => x.id === 'cat' && /concat is a merge/.test(x.message)),
    JSON.stringify(e),
  );
});

test('a child name with a line break or control character is refused; quotes, backslashes and emoji compile', { skip: needsPyTorch }, () => {
  for (const name of ['a\nb', 'tab\there', 'x\u2028y', 'half \ud800']) {
    const e = errors(accepted(doc(seq('net', [linear('a', 4, 4, name)]))));
    assert.ok(
      e.some((x) => x.id === 'a' && /cannot be a state-dict key: it holds a line break or another control character/.test(x.message)),
      `${JSON.stringify(name)}: ${JSON.stringify(e)}`,
    );
    assert.ok(!e[0].message.includes('\n'), 'the message stays one line');
  }
  const odd = accepted(
    doc(seq('net', [linear('a', 4, 4, `it's "quoted" \\ 🎉`), linear('b', 4, 2, 'ñandú')]), {
      description: 'line one\nline two\r\u2028 with """ and a trailing quote"',
    }),
  );
  assert.deepEqual(errors(odd), []);
  const py = generatePyTorch(odd);
  assert.match(py, /\('it\\'s "quoted" \\\\ \\U0001f389', nn\.Linear\(4, 4\)\)/);
  assert.match(py, /'\\xf1and\\xfa'/);
  assert.equal(pyCompile([py]), '');
});

test('training numbers of any size are Python floats: lr 1e21 is lr=1e+21, not 1e+21.0', { skip: needsPyTorch }, () => {
  const training = { data: { kind: 'builtin', name: 'spiral' }, loss: 'MSELoss', optimizer: { type: 'SGD', lr: 1e21 }, epochs: 1 };
  const v = validateDocument(JSON.stringify(doc(seq('net', [linear('a', 2, 1)]), { input: { shape: [2] }, training })));
  assert.ok(v.ok, JSON.stringify(v));
  const py = generatePyTorch(v.document, { training: true });
  assert.match(py, /lr=1e\+21\b/);
  assert.doesNotMatch(py, /1e\+21\.0/);
  assert.equal(pyCompile([py]), '');
});

test(
  `nesting: ${MAX_NESTING} named Sequentials compile in Python; deeper is refused by path; 5,000 levels never overflow the stack`,
  { skip: needsPyTorch },
  () => {
    const nest = (levels: number, named: boolean): Json => {
      let n: Json = linear('leaf');
      for (let i = levels - 1; i >= 1; i--) n = seq(`s${i}`, [n], named ? `level ${i}` : undefined);
      return n;
    };
    const deepest = accepted(doc(nest(MAX_NESTING, true)));
    assert.deepEqual(errors(deepest), []);
    const built = buildModel(deepest);
    assert.equal(Object.keys(built.stateDict()).length, 2);
    assert.equal(pyCompile([generatePyTorch(deepest), generatePyTorch(accepted(doc(nest(MAX_NESTING, false))))]), '');
    const tooDeep = validateDocument(JSON.stringify(doc(nest(MAX_NESTING + 1, false)), null, 1));
    assert.ok(!tooDeep.ok);
    const issue = tooDeep.issues[0];
    assert.match(issue.message, new RegExp(`nodes nest more than ${MAX_NESTING} levels deep`));
    assert.equal(issue.path, `model${'.children[0]'.repeat(MAX_NESTING)}`);
    assert.ok(issue.line !== undefined && issue.line > MAX_NESTING);
    // As a parsed value, and as text (built by hand: JSON.stringify itself overflows at this depth).
    const deepText = `{"format":"nnblocks.model/1","name":"m","input":{"shape":[4]},"model":${'{"id":"s","op":"Sequential","name":"n","children":['.repeat(5000)}${JSON.stringify(linear('leaf'))}${']}'.repeat(5000)}}`;
    for (const value of [doc(nest(5000, false)), deepText]) {
      const r = validateDocument(value);
      assert.ok(!r.ok && /nest more than/.test(r.issues[0].message));
    }
  },
);

test('size: a tensor no typed array can hold is an error naming the layer; a big model is warned about, with its count and memory', () => {
  const huge = errors(
    accepted(
      doc(
        seq('net', [linear('fc', 4, 1, 'fc'), linear('wide', 1, 1), { id: 'big', op: 'Linear', args: { inFeatures: 100000, outFeatures: 50000 } }]),
      ),
    ),
  );
  assert.ok(
    huge.some(
      (x) =>
        x.id === 'big' &&
        /Linear big: its weight of shape \[50000, 100000\] has 5,000,000,000 values \(20 GB as float32\), more than one tensor can hold/.test(
          x.message,
        ),
    ),
    JSON.stringify(huge),
  );
  const infinite = errors(accepted(doc(seq('net', [{ id: 'inf', op: 'Linear', args: { inFeatures: 4, outFeatures: 1e308 } }]))));
  assert.ok(
    infinite.some((x) => x.id === 'inf' && /more than one tensor can hold/.test(x.message)),
    JSON.stringify(infinite),
  );
  // 5,000,000,012 parameters in layers of 2.5e9 values each: allocatable one by one, 20 GB together.
  const big = accepted(
    doc(
      seq('net', [
        { id: 'a', op: 'Linear', args: { inFeatures: 4, outFeatures: 50000, bias: false } },
        { id: 'b', op: 'Linear', args: { inFeatures: 50000, outFeatures: 50000, bias: false } },
        { id: 'c', op: 'Linear', args: { inFeatures: 50000, outFeatures: 49999, bias: false } },
      ]),
      {},
    ),
  );
  const a = analyzeDocument(big);
  assert.deepEqual(
    a.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  const warning = a.diagnostics.find((d) => d.id === 'net' && d.severity === 'warning' && /parameters: its weights alone take/.test(d.message));
  assert.ok(warning, JSON.stringify(a.diagnostics));
  assert.match(warning.message, new RegExp(`the model has ${a.totalParams.toLocaleString('en-US')} parameters: its weights alone take 20 GB`));
  assert.ok(
    a.diagnostics.some((d) => /cannot be exported to ONNX: .*\(protobuf's 2 GiB limit\)/.test(d.message)),
    'the ONNX limit is said',
  );
  // The limit is the user's: above it a warning, below it none.
  assert.ok(
    analyzeDocument(big, { warnParams: 1e12 }).diagnostics.every((d) => !/weights alone take/.test(d.message)),
    'no warning under a higher limit',
  );
  const small = accepted(doc(seq('net', [linear('a', 4, 100)])));
  const smallWarned = analyzeDocument(small, { warnParams: 100 }).diagnostics;
  assert.ok(
    smallWarned.some((d) => /the model has 500 parameters: its weights alone take 2\.0 kB/.test(d.message)),
    JSON.stringify(smallWarned),
  );
  // The export refuses before it allocates anything (this would need 20 GB).
  assert.throws(() => toOnnxBytes(big, null), /model 'm' cannot be exported to ONNX: its 5,000,150,000 parameters take 20 GB .*at most 2\.1 GB/);
  const cli = checkCommand(JSON.stringify(doc(seq('net', [linear('a', 4, 100)]))), 'small.nnb.json', false, { warnParams: 100 });
  assert.equal(cli.ok, true);
  assert.match(cli.stderr, /small\.nnb\.json:\d+: warning: net: the model has 500 parameters/);
});

test('huge strings are quoted as a short prefix, with no edit-distance suggestion', () => {
  const long = 'Q'.repeat(10_000_000);
  const text = JSON.stringify(
    doc(
      seq('net', [
        { id: 'x', op: long },
        { id: 'b', op: 'Block', block: long },
        { id: long, op: 'ReLU', name: long },
      ]),
    ),
  );
  const r = checkCommand(text, 'big.nnb.json', false);
  assert.equal(r.ok, false);
  assert.ok(r.stdout.length + r.stderr.length < 20_000, `printed ${r.stdout.length + r.stderr.length} characters`);
  assert.match(r.stderr, /x: unknown layer type "Q{60}"… \(10,000,000 characters\) \(the layers are Linear, /);
  assert.match(r.stderr, /b: there is no block named "Q{60}"… \(10,000,000 characters\)/);
  const json = checkCommand(JSON.stringify(doc(seq('net', [linear('a', 4, 2)]), { description: 5, extra: long })), 'k.nnb.json', false);
  assert.ok(json.stderr.length < 5000, `printed ${json.stderr.length} characters`);
});

test(`a chain of block instances is bounded like nesting: ${MAX_NESTING} work, 3,000 are refused at the first block`, () => {
  const chain = (n: number): Json => {
    const blocks: Json = {};
    for (let i = 0; i < n; i++) blocks[`b${i}`] = { body: i === n - 1 ? linear(`l${i}`) : { id: `n${i}`, op: 'Block', block: `b${i + 1}` } };
    return doc({ id: 'root', op: 'Block', block: 'b0' }, { blocks });
  };
  const ok = accepted(chain(MAX_NESTING));
  assert.deepEqual(errors(ok), []);
  assert.deepEqual(buildModel(ok).forward(randn([2, 4])).shape, [2, 4]);
  const e = errors(accepted(chain(3000)));
  assert.equal(e.length, 1);
  assert.equal(e[0].id, 'n0');
  assert.match(e[0].message, new RegExp(`block 'b0' starts a chain of 3000 blocks, each using the next: at most ${MAX_NESTING} may nest`));
});
