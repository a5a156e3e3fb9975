// A Linear layer's weights stay resident in wasm memory between products (engine/kernels/wasm_gemm.ts's
// residentCopy): every way of changing them (a hand edit through .data, an optimizer step, loadStateDict,
// a reference to .data kept across a backward) must reach the next product. Each case compares the layer's
// output with a float64 product of the weights as they are now, so a stale copy fails it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nn, noGrad, optim, Tensor } from '../../engine';
import { kernelInfo } from '../../engine/kernels/matmul';
import { clearResidentCopies, residentBytes } from '../../engine/kernels/wasm_gemm';
import { seeded } from '../helpers/seeded';

// Large enough for the blocked gemm (not assembly/small.ts's path): 32 x 256 @ 256 x 128.
const M = 32,
  IN = 256,
  OUT = 128;

function input(seed: number, rows = M, features = IN): Tensor {
  const rnd = seeded(seed);
  return new Tensor(
    Float32Array.from({ length: rows * features }, () => rnd() - 0.5),
    [rows, features],
  );
}

function assertMatchesWeights(layer: nn.Linear, x: Tensor, y: Tensor, what: string): void {
  const w = layer.weight.data,
    b = layer.bias!.data;
  const rows = x.shape[0],
    IN = layer.inFeatures,
    OUT = layer.outFeatures;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < OUT; j++) {
      let s = b[j];
      for (let p = 0; p < IN; p++) s += x.data[i * IN + p] * w[j * IN + p];
      const got = y.data[i * OUT + j];
      if (Math.abs(got - s) > 1e-4 * (1 + Math.abs(s))) assert.fail(`${what}: y[${i},${j}] = ${got}, the weights give ${s}`);
    }
  }
}

function forward(layer: nn.Linear, x: Tensor): Tensor {
  return noGrad(() => layer.forward(x));
}

test('the resident copy is made once and reused while the weights are unchanged', { skip: !kernelInfo().wasm }, () => {
  clearResidentCopies();
  const layer = new nn.Linear(IN, OUT);
  const x = input(1);
  forward(layer, x);
  const held = residentBytes();
  assert.ok(held >= IN * OUT * 4, `expected the weight resident, ${held} bytes are`);
  assertMatchesWeights(layer, x, forward(layer, x), 'second forward');
  assert.equal(residentBytes(), held);
});

// A batch of 1 or 3 rows through the MLP's first layer: once resident, the weights are cheap enough that
// the blocked gemm beats assembly/small.ts's path, which would copy all 1.6 MB of them on every call.
for (const rows of [1, 3]) {
  test(`a ${rows}-row input uses the resident weights too (784 -> 512)`, { skip: !kernelInfo().wasm }, () => {
    clearResidentCopies();
    const layer = new nn.Linear(784, 512);
    const x = input(9, rows, 784);
    forward(layer, x);
    assert.ok(residentBytes() >= 784 * 512 * 4, `expected the weight resident, ${residentBytes()} bytes are`);
    assertMatchesWeights(layer, x, forward(layer, x), `${rows}-row forward`);
  });
}

test('a hand edit through .data reaches the next product', { skip: !kernelInfo().wasm }, () => {
  const layer = new nn.Linear(IN, OUT);
  const x = input(2);
  forward(layer, x);
  layer.weight.data[5] = 3;
  layer.weight.data.fill(0.01, IN * 7, IN * 8);
  assertMatchesWeights(layer, x, forward(layer, x), 'after editing .data');
});

test('an optimizer step reaches the next product', { skip: !kernelInfo().wasm }, () => {
  const layer = new nn.Linear(IN, OUT);
  const opt = new optim.Adam(layer.parameters(), { lr: 0.05 });
  const x = input(3);
  for (let step = 0; step < 3; step++) {
    opt.zeroGrad();
    layer.forward(x).pow(2).mean().backward();
    opt.step();
    assertMatchesWeights(layer, x, forward(layer, x), `after step ${step + 1}`);
  }
});

test('loadStateDict reaches the next product', { skip: !kernelInfo().wasm }, () => {
  const layer = new nn.Linear(IN, OUT);
  const other = new nn.Linear(IN, OUT);
  const x = input(4);
  forward(layer, x);
  layer.loadStateDict(other.stateDict());
  assertMatchesWeights(layer, x, forward(layer, x), 'after loadStateDict');
});

test('a reference to .data written after backward (a hand-written SGD loop) reaches the next product', { skip: !kernelInfo().wasm }, () => {
  const layer = new nn.Linear(IN, OUT);
  const w = layer.weight.data; // read once, written on every step below without touching .data again
  const x = input(5);
  for (let step = 0; step < 2; step++) {
    layer.weight.grad = null;
    layer.forward(x).pow(2).mean().backward();
    const g = layer.weight.grad!.data;
    for (let i = 0; i < w.length; i++) w[i] -= 10 * g[i];
    assertMatchesWeights(layer, x, forward(layer, x), `after manual step ${step + 1}`);
  }
});

test('products are right again after the resident copies are dropped', { skip: !kernelInfo().wasm }, () => {
  const layer = new nn.Linear(IN, OUT);
  const x = input(6);
  forward(layer, x);
  clearResidentCopies();
  assert.equal(residentBytes(), 0);
  assertMatchesWeights(layer, x, forward(layer, x), 'after clearResidentCopies');
});

test('the backward product (g @ W, the other packing of the same weights) follows edits too', { skip: !kernelInfo().wasm }, () => {
  const layer = new nn.Linear(IN, OUT);
  for (let round = 0; round < 2; round++) {
    const x = input(7 + round).requiresGrad_();
    layer.forward(x).sum().backward();
    // d(sum y)/dx[i, p] = sum_j W[j, p] for every row i.
    const w = layer.weight.data;
    for (let p = 0; p < IN; p++) {
      let s = 0;
      for (let j = 0; j < OUT; j++) s += w[j * IN + p];
      for (let i = 0; i < M; i++) {
        const got = x.grad!.data[i * IN + p];
        if (Math.abs(got - s) > 1e-4 * (1 + Math.abs(s))) assert.fail(`round ${round}: x.grad[${i},${p}] = ${got}, the weights give ${s}`);
      }
    }
    layer.weight.data.fill(0.5, 0, IN * 3); // the next round's products must see this
  }
});

test('a storage used with another shape gets a fresh copy', { skip: !kernelInfo().wasm }, () => {
  const layer = new nn.Linear(IN, OUT);
  const x = input(9);
  forward(layer, x);
  // The same weights read as [OUT * 2, IN / 2] by a second layer sharing the storage.
  const other = new nn.Linear(IN / 2, OUT * 2);
  other.weight = new nn.Parameter(new Tensor(layer.weight.data, [OUT * 2, IN / 2]));
  const x2 = new Tensor(x.data.slice(0, M * (IN / 2)), [M, IN / 2]);
  const y2 = forward(other, x2);
  const w = other.weight.data,
    b = other.bias!.data;
  for (let j = 0; j < OUT * 2; j += 37) {
    let s = b[j];
    for (let p = 0; p < IN / 2; p++) s += x2.data[p] * w[j * (IN / 2) + p];
    assert.ok(Math.abs(y2.data[j] - s) < 1e-4 * (1 + Math.abs(s)), `y2[0,${j}] = ${y2.data[j]}, expected ${s}`);
  }
  assertMatchesWeights(layer, x, forward(layer, x), 'the first layer again');
});

test('writes through a view of the weights (detach, reshape) reach the next product', { skip: !kernelInfo().wasm }, () => {
  const layer = new nn.Linear(IN, OUT);
  const x = input(10);
  const detached = layer.weight.detach();
  const flat = layer.weight.reshape([IN * OUT]);
  forward(layer, x);
  detached.data[3] = 2;
  assertMatchesWeights(layer, x, forward(layer, x), 'after writing through detach()');
  flat.data.fill(-0.25, 100, 400);
  assertMatchesWeights(layer, x, forward(layer, x), 'after writing through reshape()');
});
