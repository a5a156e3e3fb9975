/**
 * exp and log1p for the hot loops of losses. V8's Math.exp and Math.log1p are exact to double precision
 * and cost 8-10 ns each; float32 results need far less. These are accurate to a few parts in 1e9 relative,
 * below float32 rounding, at a fraction of the cost.
 */

const LOG2E = Math.LOG2E;
const LN2_HI = 0.6931471803691238; // ln 2 split in two, so n*LN2 is subtracted without rounding error
const LN2_LO = 1.9082149292705877e-10;
const MIN_EXPONENT = -1075;

/** 2^n for n in [MIN_EXPONENT, 0], looked up instead of built from bits. */
const POW2 = new Float64Array(-MIN_EXPONENT + 1);
for (let n = 0; n <= -MIN_EXPONENT; n++) POW2[n] = Math.pow(2, -n);

/** e^x for x <= 0 (the case of exp(-|x|) in stable losses). */
export function expNonPositive(x: number): number {
  if (x < -745) return 0;
  // x = n·ln2 + r with |r| <= ln2/2, then e^x = 2^n · e^r with a degree-8 Taylor polynomial for e^r.
  const n = Math.round(x * LOG2E);
  const r = x - n * LN2_HI - n * LN2_LO;
  const p = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r * (1 / 5040 + r * (1 / 40320))))))));
  return p * POW2[-n];
}

/** log(1 + e) for e in [0, 1], by the series of 2·atanh(s) with s = e / (2 + e) <= 1/3. */
export function log1pUnit(e: number): number {
  const s = e / (2 + e);
  const s2 = s * s;
  return 2 * s * (1 + s2 * (1 / 3 + s2 * (1 / 5 + s2 * (1 / 7 + s2 * (1 / 9 + s2 * (1 / 11 + s2 * (1 / 13 + s2 * (1 / 15 + s2 * (1 / 17)))))))));
}
