/**
 * Seeded random numbers. PyTorch's exact streams cannot be reproduced without its Mersenne Twister and
 * sampling code, so NN Blocks is reproducible against itself: the same seed gives the same weights,
 * shuffles and dropout masks on every machine.
 */

export class Generator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spareNormal: number | null = null;
  private seedValue = 0;

  constructor(seed = 0x2545f491) {
    this.manualSeed(seed);
  }

  /** Seeds xoshiro128** through splitmix32 so that nearby seeds give unrelated streams. */
  manualSeed(seed: number): this {
    this.seedValue = seed;
    let x = seed >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    this.spareNormal = null;
    return this;
  }

  initialSeed(): number {
    return this.seedValue;
  }

  /** The full state, so a resumed training run continues the same random stream. */
  getState(): number[] {
    return [this.s0, this.s1, this.s2, this.s3, this.spareNormal ?? NaN, this.seedValue];
  }

  setState(state: readonly number[]): void {
    if (state.length !== 6) throw new Error(`Generator.setState: expected 6 numbers, got ${state.length}`);
    [this.s0, this.s1, this.s2, this.s3] = state.map((v) => v >>> 0);
    this.spareNormal = Number.isNaN(state[4]) ? null : state[4];
    this.seedValue = state[5];
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of randomness (more than float32 keeps). */
  random(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Standard normal by the Box-Muller transform, caching the second value. */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.random() * n);
  }

  /** A random permutation of 0..n-1 (Fisher-Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

export const defaultGenerator = new Generator();

/** Seeds the default generator that weight init, rand/randn, dropout and data shuffling draw from. */
export function manualSeed(seed: number): Generator {
  return defaultGenerator.manualSeed(seed);
}
