// State and modes of the image layers: BatchNorm's buffers under PyTorch's keys, saved as safetensors with
// num_batches_tracked as int64 and loaded by PyTorch's load_state_dict(strict=True); train()/eval()
// switching BatchNorm and Dropout2d; PyTorch's default initialisation bounds for convolutions.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { io, nn, ones, randn, Generator, manualSeed } from '../../engine';

const PYTHON = '/usr/bin/python3';
const REPO = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'nnb-bn-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('a BatchNorm2d state dict saved here loads into torch.nn.BatchNorm2d with strict=True, num_batches_tracked as int64', () => {
  const ensure = spawnSync('bash', [join(REPO, 'scripts', 'ensure-torch.sh')], { encoding: 'utf8' });
  assert.equal(ensure.status, 0, `scripts/ensure-torch.sh failed (PyTorch is required for this test):\n${ensure.stderr}`);
  const bn = new nn.BatchNorm2d(3);
  const x = randn([4, 3, 2, 2], { generator: new Generator(7) });
  bn.forward(x);
  bn.forward(x.mul(2));
  const state = bn.stateDict();
  assert.deepEqual(Object.keys(state), ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
  assert.equal(state.num_batches_tracked.item(), 2);
  const file = join(dir, 'bn.safetensors');
  io.saveSafetensors(file, state);
  const reloaded = io.loadSafetensors(file).tensors;
  assert.equal(reloaded.num_batches_tracked.dtype, 'int64', 'an I64 tensor stays int64 when loaded');
  assert.equal(reloaded.running_mean.dtype, 'float32');
  const script = `
import json, struct, sys
import numpy as np
import torch
with open(sys.argv[1], 'rb') as f:
    n = struct.unpack('<Q', f.read(8))[0]
    header = json.loads(f.read(n))
    data = f.read()
kinds = {'F32': np.float32, 'I64': np.int64}
state = {}
for k, v in header.items():
    if k == '__metadata__':
        continue
    a, b = v['data_offsets']
    state[k] = torch.from_numpy(np.frombuffer(data[a:b], dtype=kinds[v['dtype']]).reshape(v['shape']).copy())
m = torch.nn.BatchNorm2d(3)
m.load_state_dict(state, strict=True)
print(json.dumps({'dtype': str(m.num_batches_tracked.dtype), 'count': int(m.num_batches_tracked), 'mean': m.running_mean.tolist(), 'var': m.running_var.tolist()}))
`;
  const r = spawnSync(PYTHON, ['-c', script, file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const got = JSON.parse(r.stdout) as { dtype: string; count: number; mean: number[]; var: number[] };
  assert.equal(got.dtype, 'torch.int64');
  assert.equal(got.count, 2);
  assert.deepEqual(got.mean, [...state.running_mean.data]);
  assert.deepEqual(got.var, [...state.running_var.data]);
});

test('train() uses and updates batch statistics, eval() uses the running ones and leaves them alone', () => {
  const bn = new nn.BatchNorm1d(2);
  const x = randn([8, 2], { generator: new Generator(3) })
    .mul(3)
    .add(1);
  const y = bn.forward(x);
  // Training output is normalised per channel: mean 0, biased variance 1 (up to eps).
  for (let c = 0; c < 2; c++) {
    const col = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => y.data[i * 2 + c]);
    const mean = col.reduce((a, v) => a + v, 0) / 8;
    const variance = col.reduce((a, v) => a + (v - mean) ** 2, 0) / 8;
    assert.ok(Math.abs(mean) < 1e-5 && Math.abs(variance - 1) < 1e-3, `channel ${c}: mean ${mean}, variance ${variance}`);
  }
  const runningMean = [...bn.running_mean!.data];
  assert.ok(
    runningMean.every((v) => v !== 0),
    'running mean moved',
  );
  bn.eval();
  const e = bn.forward(x);
  assert.deepEqual([...bn.running_mean!.data], runningMean, 'eval leaves the running mean');
  assert.equal(bn.num_batches_tracked!.item(), 1);
  const rm = bn.running_mean!.data,
    rv = bn.running_var!.data;
  for (let i = 0; i < 16; i++) {
    const c = i % 2;
    const expected = (x.data[i] - rm[c]) / Math.sqrt(rv[c] + 1e-5);
    assert.ok(Math.abs(e.data[i] - expected) < 1e-5, `eval output [${i}]: ${e.data[i]} vs ${expected}`);
  }
});

test('Dropout2d zeroes whole channels in train() at rate p, scales the rest by 1/(1-p), and is the identity in eval()', () => {
  manualSeed(11);
  const d = new nn.Dropout2d(0.25);
  const x = ones([50, 40, 3, 3]);
  const y = d.forward(x);
  let dropped = 0;
  for (let ch = 0; ch < 2000; ch++) {
    const plane = y.data.subarray(ch * 9, ch * 9 + 9);
    const v = plane[0];
    assert.ok(
      plane.every((p) => p === v),
      `channel ${ch} is all one value`,
    );
    if (v === 0) dropped++;
    else assert.ok(Math.abs(v - 1 / 0.75) < 1e-6, `kept channel ${ch} scaled by 1/(1-p): ${v}`);
  }
  // 2000 channels at p = 0.25: 500 expected, standard deviation about 19.
  assert.ok(dropped > 400 && dropped < 600, `${dropped} of 2000 channels dropped`);
  d.eval();
  assert.equal(d.forward(x), x);
});

test("convolutions start from PyTorch's default initialisation: weight and bias within ±1/sqrt(fan_in)", () => {
  for (const [layer, fanIn] of [
    [new nn.Conv2d(6, 16, 5), 6 * 25],
    [new nn.Conv2d(8, 4, [3, 2], { groups: 2 }), 4 * 6],
    [new nn.Conv1d(3, 5, 7), 21],
    [new nn.ConvTranspose2d(4, 6, 3), 6 * 9],
  ] as const) {
    // kaiming_uniform(a=√5) has bound gain*sqrt(3/fan_in) = sqrt(2/6)*sqrt(3/fan_in) = 1/sqrt(fan_in).
    const bound = 1 / Math.sqrt(fanIn);
    const largest = (t: { data: Float32Array }): number => t.data.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
    // The weights are many draws, so the largest comes close to the bound; the few biases only stay inside.
    assert.ok(
      largest(layer.weight) <= bound && largest(layer.weight) > 0.8 * bound,
      `${layer}: largest weight ${largest(layer.weight)} vs bound ${bound}`,
    );
    assert.ok(largest(layer.bias!) <= bound && largest(layer.bias!) > 0, `${layer}: largest bias ${largest(layer.bias!)} vs bound ${bound}`);
  }
});
