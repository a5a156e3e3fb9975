/**
 * Elementwise unary ops as one table of (forward, derivative) rules, as tinygrad writes its gradients:
 * each rule gives y = f(x) and dy/dx from x and y, and one function turns a rule into a differentiable op.
 * Ops with their own kernels (tanh and sigmoid in wasm, gelu with erf) keep their own files.
 */
import { Tensor } from '../tensor';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { gradArray } from '../buffer_pool';

export interface UnaryRule {
  forward: (x: number) => number;
  /** dy/dx at x, given y = forward(x). */
  derivative: (x: number, y: number) => number;
}

function logistic(v: number): number {
  return 1 / (1 + Math.exp(-v));
}

/** log(1 + e^v) without overflow for large v. */
function softplus1(v: number): number {
  return v > 20 ? v : Math.log1p(Math.exp(v));
}

export const UNARY = {
  neg: { forward: (x) => -x, derivative: () => -1 },
  abs: { forward: Math.abs, derivative: (x) => Math.sign(x) },
  exp: { forward: Math.exp, derivative: (_x, y) => y },
  log: { forward: Math.log, derivative: (x) => 1 / x },
  sqrt: { forward: Math.sqrt, derivative: (_x, y) => 0.5 / y },
  relu: { forward: (x) => (x > 0 ? x : 0), derivative: (x) => (x > 0 ? 1 : 0) },
  // PyTorch's hardtanh(0, 6) gradient: 1 strictly inside the interval, 0 at and beyond its ends.
  relu6: { forward: (x) => (x <= 0 ? 0 : x >= 6 ? 6 : x), derivative: (x) => (x > 0 && x < 6 ? 1 : 0) },
  silu: {
    forward: (x) => x * logistic(x),
    derivative: (x) => {
      const s = logistic(x);
      return s * (1 + x * (1 - s));
    },
  },
  // PyTorch's hardswish_backward: 0 below -3, x/3 + 1/2 on [-3, 3], 1 above.
  hardswish: {
    forward: (x) => (x <= -3 ? 0 : x >= 3 ? x : (x * (x + 3)) / 6),
    derivative: (x) => (x < -3 ? 0 : x <= 3 ? x / 3 + 0.5 : 1),
  },
  mish: {
    forward: (x) => x * Math.tanh(softplus1(x)),
    derivative: (x) => {
      const t = Math.tanh(softplus1(x));
      return t + x * logistic(x) * (1 - t * t);
    },
  },
} satisfies Record<string, UnaryRule>;

/** ELU with its alpha: x for x > 0, alpha*(e^x - 1) otherwise. */
export function eluRule(alpha: number): UnaryRule {
  return {
    forward: (x) => (x > 0 ? x : alpha * Math.expm1(x)),
    derivative: (x, y) => (x > 0 ? 1 : y + alpha),
  };
}

/** Softplus with PyTorch's beta and threshold: linear where beta*x exceeds the threshold. */
export function softplusRule(beta: number, threshold: number): UnaryRule {
  return {
    forward: (x) => (x * beta > threshold ? x : Math.log1p(Math.exp(beta * x)) / beta),
    derivative: (x) => (x * beta > threshold ? 1 : logistic(beta * x)),
  };
}

/** Applies a rule elementwise and records its derivative for backward. */
export function unary(name: string, rule: UnaryRule, a: Tensor): Tensor {
  const x = a.data;
  const out = new Float32Array(x.length);
  const f = rule.forward;
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]);
  const r = new Tensor(out, a.shape);
  if (!needsGrad(a)) return r;
  return record(r, name, [a], (g) => {
    const ga = gradArray(g.length);
    const d = rule.derivative;
    for (let i = 0; i < g.length; i++) ga[i] = g[i] * d(x[i], out[i]);
    accumulateOwned(a, ga);
  });
}

export const silu = (a: Tensor): Tensor => unary('silu', UNARY.silu, a);
export const relu6 = (a: Tensor): Tensor => unary('relu6', UNARY.relu6, a);
export const hardswish = (a: Tensor): Tensor => unary('hardswish', UNARY.hardswish, a);
export const mish = (a: Tensor): Tensor => unary('mish', UNARY.mish, a);
export const elu = (a: Tensor, alpha = 1): Tensor => unary('elu', eluRule(alpha), a);
export const softplus = (a: Tensor, beta = 1, threshold = 20): Tensor => unary('softplus', softplusRule(beta, threshold), a);
