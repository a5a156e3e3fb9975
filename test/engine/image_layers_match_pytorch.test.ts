// Every image layer (convolution, pooling, normalization, resizing, padding, CNN activations) against
// PyTorch: forward, input gradient, parameter gradients and the state after the pass (BatchNorm's running
// statistics), in train and eval mode, with odd sizes, strides, padding, dilation and groups. The numbers
// come from test/fixtures/image_layers_reference.py (torch 1.13), which also defines the cases: each names
// the nn layer and its constructor arguments, so the engine's layer is built from the same description.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { nn, Tensor } from '../../engine';

interface Case {
  name: string;
  layer: string;
  args: unknown[];
  options: Record<string, unknown>;
  mode: 'train' | 'eval';
  input: number[];
  inputShape: number[];
  state: Record<string, number[]>;
  output: number[];
  outputShape: number[];
  upstream: number[];
  inputGrad: number[];
  paramGrads: Record<string, number[]>;
  stateAfter: Record<string, number[]>;
}

const reference = JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'image_layers_reference.json'), 'utf8')) as { cases: Case[] };

type LayerClass = new (...args: unknown[]) => nn.Module;

/** The engine layer for a case: PyTorch's positional arguments, then the options object (none for Upsample's). */
function build(c: Case): nn.Module {
  const cls = (nn as unknown as Record<string, LayerClass>)[c.layer];
  assert.ok(cls !== undefined, `nn.${c.layer} does not exist`);
  const { scale: _scale, ...options } = c.options;
  return Object.keys(options).length === 0 ? new cls(...c.args) : new cls(...c.args, options);
}

/** Float32 results against PyTorch's: the sums run in a different order, so allow a few ulps of the magnitudes. */
function assertNear(actual: ArrayLike<number>, expected: number[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: ${actual.length} values vs PyTorch's ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const tol = 2e-5 + 2e-5 * Math.abs(expected[i]);
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${what}[${i}]: ${actual[i]} vs PyTorch ${expected[i]}`);
  }
}

for (const c of reference.cases) {
  test(`${c.layer} matches PyTorch: ${c.name} (${c.mode})`, () => {
    const layer = build(c);
    const own = layer.stateDict();
    assert.deepEqual(Object.keys(own).sort(), Object.keys(c.state).sort(), "state-dict keys are PyTorch's");
    const state: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(c.state)) state[k] = new Tensor(Float32Array.from(v), own[k].shape);
    layer.loadStateDict(state);
    if (c.mode === 'eval') layer.eval();
    else layer.train();
    const x = new Tensor(Float32Array.from(c.input), c.inputShape, true);
    const y = layer.forward(x);
    assert.deepEqual(y.shape, c.outputShape, 'output shape');
    assertNear(y.data, c.output, 'output');
    y.backward(new Tensor(Float32Array.from(c.upstream), c.outputShape));
    assertNear(x.grad!.data, c.inputGrad, 'input gradient');
    const params = Object.fromEntries(layer.namedParameters());
    assert.deepEqual(Object.keys(params).sort(), Object.keys(c.paramGrads).sort(), 'parameters');
    for (const [k, g] of Object.entries(c.paramGrads)) assertNear(params[k].grad!.data, g, `gradient of ${k}`);
    const after = layer.stateDict();
    for (const [k, v] of Object.entries(c.stateAfter)) assertNear(after[k].data, v, `${k} after the forward pass`);
  });
}
