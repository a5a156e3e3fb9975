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
const M = 32, IN = 256, OUT = 128;

function input(seed: number): Tensor {
  const rnd = seeded(seed);
  return new Tensor(Float32Array.from({ length: M * IN }, () => rnd() - 0.5), [M, IN]);
}

function assertMatchesWeights(layer: nn.Linear, x: Tensor, y: Tensor, what: string): void {
  const w = layer.weight.data, b = layer.bias!.data;
  for (let i = 0; i < M; i++) {
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
