/**
 * What a freshly initialised model should look like, parameter by parameter, from the document's `init`
 * specs: exact values for zeros/ones/constant, the bounds of uniform kinds, the mean and spread of normal
 * kinds (PyTorch's formulas, written out here rather than taken from the engine). Used on buildModel and
 * on the generated TypeScript and PyTorch code, whose weights come from their own random streams.
 */
import type { InitSpec, LayerNode, ModelDocument, SequentialNode } from '../../engine/graph';

const GAIN: Record<string, number> = { relu: Math.SQRT2, leaky_relu: Math.SQRT2, tanh: 5 / 3, linear: 1, sigmoid: 1 };

type Expect = { exact: number } | { bound: [number, number] } | { mean: number; std: number };

function expected(spec: InitSpec, fanIn: number, fanOut: number): Expect {
  switch (spec.kind) {
    case 'zeros':
      return { exact: 0 };
    case 'ones':
      return { exact: 1 };
    case 'constant':
      return { exact: spec.value };
    case 'uniform':
      return { bound: [spec.low, spec.high] };
    case 'normal':
      return { mean: spec.mean ?? 0, std: spec.std };
    case 'xavierUniform': {
      const a = (spec.gain ?? 1) * Math.sqrt(6 / (fanIn + fanOut));
      return { bound: [-a, a] };
    }
    case 'xavierNormal':
      return { mean: 0, std: (spec.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut)) };
    case 'kaimingUniform': {
      // Kaiming with a = 0: leaky_relu's gain is then sqrt(2), as for relu.
      const a = GAIN[spec.nonlinearity ?? 'leaky_relu'] * Math.sqrt(3 / fanIn);
      return { bound: [-a, a] };
    }
    case 'kaimingNormal':
      return { mean: 0, std: GAIN[spec.nonlinearity ?? 'leaky_relu'] / Math.sqrt(fanIn) };
    case 'default':
      // nn.Linear's own init: weight and bias uniform in +-1/sqrt(in_features).
      return { bound: [-1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn)] };
  }
}

function problem(key: string, e: Expect, v: ArrayLike<number>): string | null {
  const xs = Array.from(v);
  const n = xs.length;
  const min = Math.min(...xs);
  const max = Math.max(...xs);
  if ('exact' in e) return xs.every((x) => Math.abs(x - e.exact) <= 1e-7) ? null : `${key}: expected all ${e.exact}, got ${min}..${max}`;
  if ('bound' in e) {
    const [lo, hi] = e.bound;
    const slack = (hi - lo) * 1e-6;
    // With 100+ draws, the extremes come within 10% of the ends (the chance they do not is below 1e-9);
    // fewer draws are only checked against the bounds.
    const spread = n >= 100 ? (hi - lo) * 0.1 : Infinity;
    return min >= lo - slack && max <= hi + slack && min <= lo + spread && max >= hi - spread
      ? null
      : `${key}: expected uniform in [${lo}, ${hi}], got ${min}..${max}`;
  }
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  const std = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
  // Five standard errors: of the mean (std/sqrt(n)) and of the standard deviation (std/sqrt(2n)).
  const okMean = Math.abs(mean - e.mean) <= (5 * e.std) / Math.sqrt(n);
  const okStd = Math.abs(std - e.std) <= (5 * e.std) / Math.sqrt(2 * n);
  return okMean && okStd ? null : `${key}: expected normal(mean ${e.mean}, std ${e.std}), got mean ${mean}, std ${std}`;
}

/**
 * Every parameter of a Sequential document of Linear layers that does not look initialised as its spec
 * says (empty when all do). `params` maps state-dict keys ('0.weight', ...) to values.
 */
export function initProblems(doc: ModelDocument, params: Record<string, ArrayLike<number>>): string[] {
  const out: string[] = [];
  (doc.model as SequentialNode).children.forEach((c, i) => {
    if (c.op !== 'Linear') return;
    const l = c as LayerNode;
    const fanIn = l.args?.inFeatures as number;
    const fanOut = l.args?.outFeatures as number;
    for (const param of ['weight', 'bias']) {
      const key = `${c.name ?? i}.${param}`;
      const values = params[key];
      if (values === undefined) out.push(`${key}: missing`);
      else {
        const p = problem(key, expected(l.init?.[param] ?? { kind: 'default' }, fanIn, fanOut), values);
        if (p !== null) out.push(p);
      }
    }
  });
  return out;
}
