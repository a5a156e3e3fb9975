// safetensors: byte layout, bit-exact round trips, PyTorch-compatible keys, atomic writes, precise errors.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync, chmodSync, mkdirSync, statSync, lstatSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { nn, tensor, Tensor, randn, manualSeed } from '../../engine';
import { encodeSafetensors, decodeSafetensors, saveSafetensors, loadSafetensors, saveTensors, loadTensors } from '../../engine/io';
import { needsPyTorch, PYTHON } from '../helpers/system';

const dir = () => mkdtempSync(join(tmpdir(), 'nnb-io-'));

test('the byte layout follows the safetensors spec', () => {
  const bytes = encodeSafetensors(
    {
      w: tensor([
        [1, 2],
        [3, 4],
      ]),
      b: tensor([0.5]),
    },
    { format: 'pt' },
  );
  const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assert.equal(headerLength % 8, 0, 'header padded to 8 bytes');
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  assert.deepEqual(header, {
    __metadata__: { format: 'pt' },
    w: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] },
    b: { dtype: 'F32', shape: [1], data_offsets: [16, 20] },
  });
  assert.equal(bytes.length, 8 + headerLength + 20);
  const data = new Float32Array(bytes.slice(8 + headerLength).buffer);
  assert.deepEqual([...data], [1, 2, 3, 4, 0.5]);
});

test('round trip is bit-exact, NaN payloads, -0 and infinities included', () => {
  const bits = new Uint32Array([0x7fc00001, 0xffc12345, 0x80000000, 0x7f800000, 0xff800000, 0x00000001, 0x3f800000]);
  const t = new Tensor(new Float32Array(bits.buffer.slice(0)), [7]);
  const back = decodeSafetensors(encodeSafetensors({ t })).tensors.t;
  assert.deepEqual(new Uint32Array(back.data.buffer), bits);
});

test('a state dict saved and loaded restores the model exactly, with PyTorch key names', () => {
  manualSeed(1);
  const d = dir();
  const net = new nn.Sequential(new nn.Linear(3, 5), new nn.ReLU(), new nn.Linear(5, 2));
  saveSafetensors(join(d, 'net.safetensors'), net.stateDict());
  const { tensors } = loadSafetensors(join(d, 'net.safetensors'));
  assert.deepEqual(Object.keys(tensors), ['0.weight', '0.bias', '2.weight', '2.bias']);
  const clone = new nn.Sequential(new nn.Linear(3, 5), new nn.ReLU(), new nn.Linear(5, 2));
  clone.loadStateDict(tensors);
  const x = randn([4, 3]);
  assert.deepEqual(clone.forward(x).data, net.forward(x).data);
});

test('a tensor, a list and a dict round trip with their structure (torch.save style)', () => {
  const d = dir();
  const x = tensor([0, 1, 2, 3]);
  saveTensors(join(d, 'x-file'), x);
  assert.deepEqual((loadTensors(join(d, 'x-file')) as Tensor).data, x.data);
  const y = tensor([0, 0, 0, 0]);
  saveTensors(join(d, 'x-files'), [x, y]);
  const list = loadTensors(join(d, 'x-files')) as Tensor[];
  assert.ok(Array.isArray(list) && list.length === 2);
  assert.deepEqual(list[1].data, y.data);
  saveTensors(join(d, 'mydict'), { x, y });
  const dict = loadTensors(join(d, 'mydict')) as Record<string, Tensor>;
  assert.deepEqual(Object.keys(dict), ['x', 'y']);
});

test('a save to a symlink writes through it and leaves the link a link', () => {
  const d = dir();
  const real = join(d, 'real.safetensors');
  const link = join(d, 'link.safetensors');
  saveSafetensors(real, { a: tensor([1]) });
  symlinkSync(real, link);
  saveSafetensors(link, { a: tensor([7, 8]) });
  assert.ok(lstatSync(link).isSymbolicLink(), 'still a link');
  assert.deepEqual([...loadSafetensors(real).tensors.a.data], [7, 8]);
  assert.deepEqual(readdirSync(d).sort(), ['link.safetensors', 'real.safetensors'], 'no temp file left');
});

test('a failed save leaves the previous file intact and no temp file behind', () => {
  const d = dir();
  const path = join(d, 'w.safetensors');
  saveSafetensors(path, { a: tensor([1, 2, 3]) });
  // A new file renamed over the old one gets a new inode; writing in place would keep it (and could be
  // seen half-written by a reader).
  const inode = statSync(path).ino;
  saveSafetensors(path, { a: tensor([4, 5, 6]) });
  assert.notEqual(statSync(path).ino, inode, 'replaced by rename, not rewritten in place');
  assert.deepEqual([...loadSafetensors(path).tensors.a.data], [4, 5, 6]);
  const before = readFileSync(path);
  const bad = { a: tensor([1]), b: { shape: [1], data: new Float32Array(1) } as unknown as Tensor };
  assert.throws(() => saveSafetensors(path, bad), /'b' is not a Tensor/);
  assert.deepEqual(readFileSync(path), before);
  if (process.getuid?.() !== 0) {
    const ro = join(d, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o500);
    assert.throws(() => saveSafetensors(join(ro, 'x.safetensors'), { a: tensor([1]) }), /cannot write/);
  }
  // A folder that is a file: the write's own error, naming the target, not that of removing a temporary
  // file that was never made.
  writeFileSync(join(d, 'not-a-folder'), 'x');
  assert.throws(
    () => saveSafetensors(join(d, 'not-a-folder', 'x.safetensors'), { a: tensor([1]) }),
    /^Error: cannot write .*not-a-folder\/x\.safetensors: ENOTDIR: not a directory, open /,
  );
  assert.deepEqual(
    readdirSync(d).filter((f) => f.includes('.tmp-')),
    [],
  );
});

test('corrupt files give errors naming the file and the problem', () => {
  const d = dir();
  const good = encodeSafetensors({ w: tensor([1, 2, 3, 4]) });
  const cut = join(d, 'cut.safetensors');
  writeFileSync(cut, good.subarray(0, good.length - 3));
  assert.throws(() => loadSafetensors(cut), new RegExp(`${cut.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: tensor 'w' .* outside the 13 data bytes`));
  const tiny = join(d, 'tiny.safetensors');
  writeFileSync(tiny, new Uint8Array([1, 2, 3]));
  assert.throws(() => loadSafetensors(tiny), /truncated file \(3 bytes/);
  const junk = new Uint8Array(24);
  new DataView(junk.buffer).setBigUint64(0, 16n, true);
  junk.set(new TextEncoder().encode('{not json'), 8);
  assert.throws(() => decodeSafetensors(junk, 'junk'), /junk: the header is not valid JSON/);
  assert.throws(() => loadSafetensors(join(d, 'missing.safetensors')), /cannot read the file \(ENOENT\)/);
});

test('other dtypes written by PyTorch convert to float32', () => {
  const header = JSON.stringify({ h: { dtype: 'F16', shape: [2], data_offsets: [0, 4] }, i: { dtype: 'I64', shape: [1], data_offsets: [4, 12] } });
  const pad = ' '.repeat((8 - (header.length % 8)) % 8);
  const hb = new TextEncoder().encode(header + pad);
  const bytes = new Uint8Array(8 + hb.length + 12);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(hb.length), true);
  bytes.set(hb, 8);
  view.setUint16(8 + hb.length, 0x3c00, true); // 1.0
  view.setUint16(8 + hb.length + 2, 0xc000, true); // -2.0
  view.setBigInt64(8 + hb.length + 4, 7n, true);
  const { tensors } = decodeSafetensors(bytes);
  assert.deepEqual([...tensors.h.data], [1, -2]);
  assert.deepEqual([...tensors.i.data], [7]);
});

test('PyTorch reads the file (numpy parse when the safetensors package is absent)', { skip: needsPyTorch }, () => {
  const probe = spawnSync(PYTHON, ['-c', 'import numpy'], { encoding: 'utf8' });
  assert.equal(probe.status, 0, 'python3 with numpy is installed by the test setup (scripts/ensure-test-deps.sh)');
  const d = dir();
  const path = join(d, 'sd.safetensors');
  saveSafetensors(
    path,
    {
      '0.weight': tensor([
        [1, 2],
        [3, 4],
      ]),
      '0.bias': tensor([-1, 0.25]),
    },
    { format: 'pt' },
  );
  const script = `
import json, struct, sys
import numpy as np
raw = open(sys.argv[1], 'rb').read()
n = struct.unpack('<Q', raw[:8])[0]
h = json.loads(raw[8:8+n])
# The checks the safetensors library makes before it loads anything (Metadata::validate): the header is
# a JSON object, and the tensors' byte ranges, in offset order, tile the data buffer with no gap.
assert raw[8:9] == b'{', 'header must start with {'
spans = sorted(v['data_offsets'] for k, v in h.items() if k != '__metadata__')
end = 0
for a, b in spans:
    assert a == end and b >= a, ('hole or overlap', spans)
    end = b
assert end == len(raw) - 8 - n, ('buffer not fully indexed', end, len(raw) - 8 - n)
out = {}
for k, v in h.items():
    if k == '__metadata__': continue
    a, b = v['data_offsets']
    out[k] = np.frombuffer(raw[8+n+a:8+n+b], dtype='<f4').reshape(v['shape']).tolist()
try:
    from safetensors.torch import load_file
    sd = load_file(sys.argv[1])
    out = {k: t.tolist() for k, t in sd.items()}
except ImportError:
    pass
try:
    # With PyTorch present, the parsed state dict must load strictly into the same architecture.
    import torch
    net = torch.nn.Sequential(torch.nn.Linear(2, 2))
    net.load_state_dict({k: torch.tensor(v) for k, v in out.items()}, strict=True)
    y = net(torch.tensor([[1.0, 1.0]])).tolist()
    assert y == [[2.0, 7.25]], y
except ImportError:
    pass
print(json.dumps(out))`;
  const r = spawnSync(PYTHON, ['-c', script, path], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), {
    '0.weight': [
      [1, 2],
      [3, 4],
    ],
    '0.bias': [-1, 0.25],
  });
});
