// The safetensors reader refuses what the format forbids, as the reference reader (the `safetensors`
// crate behind the Python package) does, with the file and the tensor named: holes between tensors,
// bytes after the data, a key written twice, a header not starting with '{', null metadata, entries that
// are not { dtype, shape, data_offsets: [begin, end] }. A well-formed file still loads.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSafetensors } from '../../engine/io';

const dir = mkdtempSync(join(tmpdir(), 'nnb-st-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** A file of this header text (padded to 8 bytes, as writers do, unless `pad` is false) and these data bytes. */
function file(name: string, header: string, data: number[], pad = true): string {
  const text = pad ? header + ' '.repeat((8 - (header.length % 8)) % 8) : header;
  const h = new TextEncoder().encode(text);
  const bytes = new Uint8Array(8 + h.length + data.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(h.length), true);
  bytes.set(h, 8);
  bytes.set(data, 8 + h.length);
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}
const f32 = (...xs: number[]) => [...new Uint8Array(new Float32Array(xs).buffer)];

test('a well-formed file loads, in the header order', () => {
  const p = file(
    'good.safetensors',
    JSON.stringify({
      __metadata__: { a: 'b' },
      w: { dtype: 'F32', shape: [2], data_offsets: [4, 12] },
      b: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
    }),
    f32(9, 1, 2),
  );
  const { tensors, metadata } = loadSafetensors(p);
  assert.deepEqual(Object.keys(tensors), ['w', 'b']);
  assert.deepEqual([...tensors.w.data], [1, 2]);
  assert.deepEqual([...tensors.b.data], [9]);
  assert.deepEqual(metadata, { a: 'b' });
});

test('files the format forbids are refused, naming the file and the tensor', () => {
  const cases: [string, string, number[], RegExp, boolean?][] = [
    [
      'hole',
      JSON.stringify({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } }),
      f32(1, 2, 3),
      /4 bytes of the data belong to no tensor \(a hole before tensor 'b', at data offset 4\)/,
    ],
    [
      'trailing',
      JSON.stringify({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }),
      f32(1, 2),
      /4 bytes after the last tensor's data belong to no tensor/,
    ],
    [
      'duplicate',
      '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}',
      f32(1),
      /the header names tensor 'a' twice/,
    ],
    ['start', ` ${JSON.stringify({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } })}`, f32(1), /the header must start with '\{'/],
    [
      'nullmeta',
      JSON.stringify({ __metadata__: null, a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }),
      f32(1),
      /__metadata__ must map strings to strings, got null/,
    ],
    [
      'offsets',
      JSON.stringify({ a: { dtype: 'F32', shape: [1], data_offsets: 8 } }),
      f32(1),
      /tensor 'a' needs "data_offsets": \[begin, end\] \(two whole numbers\), got 8/,
    ],
    ['nullentry', JSON.stringify({ a: null }), [], /tensor 'a' must be an object \{ "dtype", "shape", "data_offsets" \}, got null/],
    [
      'overlap',
      JSON.stringify({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }),
      f32(1, 2),
      /tensors 'a' and 'b' overlap/,
    ],
    [
      'proto',
      JSON.stringify({ constructor: { dtype: 'XX', shape: [1], data_offsets: [0, 4] } }),
      f32(1),
      /tensor 'constructor' has unsupported dtype "XX"/,
    ],
  ];
  for (const [name, header, data, message] of cases) {
    const p = file(`${name}.safetensors`, header, data);
    assert.throws(
      () => loadSafetensors(p),
      (e: Error) => e.message.startsWith(`${p}: `) && message.test(e.message),
      name,
    );
  }
});

test('tensors named like Object.prototype members or "__proto__" load as tensors', () => {
  const p = file(
    'names.safetensors',
    '{"__proto__":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"toString":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}',
    f32(3, 4),
  );
  const { tensors } = loadSafetensors(p);
  assert.deepEqual(Object.keys(tensors), ['__proto__', 'toString']);
  assert.deepEqual([...tensors['__proto__'].data], [3]);
  const key: string = 'toString';
  assert.deepEqual([...tensors[key].data], [4]);
});
