import { Tensor } from '../tensor_core';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { gradArray } from '../buffer_pool';
import { tanhBackwardInto, tanhInto } from '../kernels/small';

// Eigen's rational approximation of tanh (the one XNNPACK and TensorFlow use): accurate to a few float32
// ulps over the whole range, and several times faster than Math.tanh, which dominates small nets' steps.
const CLAMP = 7.90531110763549805;
const A13 = -2.76076847742355e-16;
const A11 = 2.00018790482477e-13;
const A9 = -8.60467152213735e-11;
const A7 = 5.12229709037114e-8;
const A5 = 1.48572235717979e-5;
const A3 = 6.37261928875436e-4;
const A1 = 4.89352455891786e-3;
const B6 = 1.19825839466702e-6;
const B4 = 1.18534705686654e-4;
const B2 = 2.268434632439e-3;
const B0 = 4.89352518554385e-3;

export function tanhScalar(v: number): number {
  if (Math.abs(v) < 0.0004) return v;
  const x = v > CLAMP ? CLAMP : v < -CLAMP ? -CLAMP : v;
  const x2 = x * x;
  const p = x * ((((((A13 * x2 + A11) * x2 + A9) * x2 + A7) * x2 + A5) * x2 + A3) * x2 + A1);
  const q = ((B6 * x2 + B4) * x2 + B2) * x2 + B0;
  return p / q;
}

/** Below this many values the JavaScript loops beat copying into wasm memory and back. */
const WASM_MIN = 16;

export function tanh(a: Tensor): Tensor {
  const x = a.data;
  const out = new Float32Array(x.length);
  // The wasm kernel evaluates the same formula in float64 SIMD lanes: identical results.
  if (x.length < WASM_MIN || !tanhInto(out, x)) for (let i = 0; i < x.length; i++) out[i] = tanhScalar(x[i]);
  const r = new Tensor(out, a.shape);
  if (!needsGrad(a)) return r;
  return record(r, 'tanh', [a], (g) => tanhBackward(a, g, out));
}

function tanhBackward(a: Tensor, g: Float32Array, out: Float32Array): void {
  const ga = gradArray(g.length);
  if (g.length < WASM_MIN || !tanhBackwardInto(ga, g, out)) {
    for (let i = 0; i < g.length; i++) {
      const y = out[i];
      ga[i] = g[i] * (1 - y * y);
    }
  }
  accumulateOwned(a, ga);
}
