// The wasm elementwise passes (engine/kernels/elementwise.ts, assembly/image.ts) against the TypeScript
// loops of the ops they serve (ReLU, add, batch norm in eval mode), bit for bit: lengths that are not a
// multiple of the SIMD width or of the chunk, NaN, infinities and signed zeros, channels whose rows
// straddle chunks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addInto, channelAffineInto, elementwiseKernelsAvailable, reluInto } from '../../engine/kernels/elementwise';
import { seeded } from '../helpers/seeded';

function random(n: number, seed: number): Float32Array {
  const rnd = seeded(seed);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = 4 * rnd() - 2;
  // The values a sign test can get wrong.
  const special = [NaN, -0, 0, Infinity, -Infinity, 1e-45, -1e-45];
  for (let i = 0; i < special.length && i < n; i++) a[(i * 7919) % n] = special[i];
  return a;
}

function assertSameBits(got: Float32Array, want: Float32Array, what: string): void {
  assert.equal(got.length, want.length);
  const g = new Uint32Array(got.buffer, got.byteOffset, got.length);
  const w = new Uint32Array(want.buffer, want.byteOffset, want.length);
  for (let i = 0; i < g.length; i++) {
    if (g[i] !== w[i]) assert.fail(`${what}: value ${i} is ${got[i]}, the TypeScript loop gives ${want[i]}`);
  }
}

const LENGTHS = [1, 3, 4, 5, 17, 16384, 16387, 50001];

test('the wasm elementwise kernels load (npm run build:wasm built assembly/image.ts)', () => {
  assert.ok(elementwiseKernelsAvailable());
});

test('ReLU in wasm equals x > 0 ? x : 0 bit for bit (NaN and -0 give +0)', () => {
  for (const n of LENGTHS) {
    const x = random(n, n);
    const got = new Float32Array(n).fill(7);
    assert.ok(reluInto(got, x));
    const want = x.map((v) => (v > 0 ? v : 0));
    assertSameBits(got, want, `relu of ${n} values`);
  }
});

test('add in wasm equals a + b bit for bit, and with its ReLU fused equals relu(a + b)', () => {
  for (const n of LENGTHS) {
    const a = random(n, 2 * n),
      b = random(n, 2 * n + 1);
    const sum = a.map((v, i) => v + b[i]);
    const got = new Float32Array(n);
    assert.ok(addInto(got, a, b));
    assertSameBits(got, sum, `add of ${n} values`);
    assert.ok(addInto(got, a, b, true));
    assertSameBits(
      got,
      sum.map((v) => (v > 0 ? v : 0)),
      `add + relu of ${n} values`,
    );
  }
});

test('the per-channel affine map in wasm equals f32(x * scale + shift) in float64, channels across chunks', () => {
  // [n, c, inner]: rows shorter than a vector, rows not a multiple of 4, a row longer than a chunk, and
  // chunks that end mid-batch so that a chunk's first row is not channel 0.
  for (const [n, c, inner] of [
    [2, 3, 1],
    [3, 5, 7],
    [4, 16, 1024],
    [2, 3, 20000],
    [5, 7, 4099],
  ]) {
    const x = random(n * c * inner, n * 100 + c * 10 + inner);
    const rnd = seeded(c);
    const scale = Float64Array.from({ length: c }, () => 3 * rnd() - 1.5);
    const shift = Float64Array.from({ length: c }, () => rnd() - 0.5);
    const want = new Float32Array(x.length);
    for (let p = 0; p < x.length; p++) {
      const ch = Math.floor(p / inner) % c;
      want[p] = x[p] * scale[ch] + shift[ch];
    }
    const got = new Float32Array(x.length);
    assert.ok(channelAffineInto(got, x, c, inner, scale, shift));
    assertSameBits(got, want, `affine over [${n}, ${c}, ${inner}]`);
  }
});
