/**
 * Elementwise unary ops as one table of (forward, backward) rules, as tinygrad writes its gradients: each
 * rule gives y = f(x), and the input's gradient from the output's gradient g, x and y; `unary` turns a
 * rule into a differentiable op. Ops with kernels of their own (tanh in wasm, gelu with erf) keep their
 * files.
 */
import { Tensor } from '../tensor_core';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { forwardArray, gradArray } from '../buffer_pool';
import { reluInto } from '../kernels/elementwise';

export interface UnaryRule {
  forward: (x: number) => number;
  /** dL/dx from dL/dy = g, at x with y = forward(x). */
  backward: (g: number, x: number, y: number) => number;
}

function logistic(v: number): number {
  return 1 / (1 + Math.exp(-v));
}

/** log(1 + e^v) without overflow for large v (PyTorch's softplus threshold of 20). */
function softplus1(v: number): number {
  return v > 20 ? v : Math.log1p(Math.exp(v));
}

export const UNARY = {
  neg: { forward: (x) => -x, backward: (g) => -g },
  abs: { forward: Math.abs, backward: (g, x) => (x > 0 ? g : x < 0 ? -g : 0) },
  exp: { forward: Math.exp, backward: (g, _x, y) => g * y },
  log: { forward: Math.log, backward: (g, x) => g / x },
  sqrt: { forward: Math.sqrt, backward: (g, _x, y) => g / (2 * y) },
  sigmoid: { forward: logistic, backward: (g, _x, y) => g * y * (1 - y) },
  relu: { forward: (x) => (x > 0 ? x : 0), backward: (g, x) => (x > 0 ? g : 0) },
  // PyTorch's hardtanh(0, 6) gradient: passed strictly inside the interval, 0 at and beyond its ends.
  relu6: { forward: (x) => (x <= 0 ? 0 : x >= 6 ? 6 : x), backward: (g, x) => (x > 0 && x < 6 ? g : 0) },
  silu: {
    forward: (x) => x * logistic(x),
    backward: (g, x) => {
      const s = logistic(x);
      return g * s * (1 + x * (1 - s));
    },
  },
  // PyTorch's hardswish_backward: 0 below -3, x/3 + 1/2 on [-3, 3], 1 above.
  hardswish: {
    forward: (x) => (x <= -3 ? 0 : x >= 3 ? x : (x * (x + 3)) / 6),
    backward: (g, x) => (x < -3 ? 0 : x <= 3 ? g * (x / 3 + 0.5) : g),
  },
  // PyTorch's hardsigmoid: relu6(x + 3) / 6; its backward passes g / 6 strictly inside (-3, 3), 0 elsewhere.
  hardsigmoid: {
    forward: (x) => (x <= -3 ? 0 : x >= 3 ? 1 : (x + 3) / 6),
    backward: (g, x) => (x > -3 && x < 3 ? g / 6 : 0),
  },
  mish: {
    forward: (x) => x * Math.tanh(softplus1(x)),
    backward: (g, x) => {
      const t = Math.tanh(softplus1(x));
      return g * (t + x * logistic(x) * (1 - t * t));
    },
  },
  // The binary threshold of the tutorials. Its derivative is zero almost everywhere, so a zero gradient
  // flows back: the layers below get a zero `.grad`, as PyTorch gives for sign() or round(), not a null
  // one that would look like a parameter the loss never reached.
  step: { forward: (x) => (x >= 0 ? 1 : 0), backward: () => 0 },
} satisfies Record<string, UnaryRule>;

/** Leaky ReLU with its slope for x <= 0. */
export function leakyReluRule(negativeSlope: number): UnaryRule {
  return { forward: (x) => (x > 0 ? x : x * negativeSlope), backward: (g, x) => (x > 0 ? g : g * negativeSlope) };
}

/** ELU with its alpha: x for x > 0, alpha*(e^x - 1) otherwise. */
export function eluRule(alpha: number): UnaryRule {
  return { forward: (x) => (x > 0 ? x : alpha * Math.expm1(x)), backward: (g, x, y) => (x > 0 ? g : g * (y + alpha)) };
}

/** Softplus with PyTorch's beta and threshold: linear where beta*x exceeds the threshold. */
export function softplusRule(beta: number, threshold: number): UnaryRule {
  return {
    forward: (x) => (x * beta > threshold ? x : Math.log1p(Math.exp(beta * x)) / beta),
    backward: (g, x) => (x * beta > threshold ? g : g * logistic(beta * x)),
  };
}

/** Applies a rule elementwise and records its backward rule. */
export function unary(name: string, rule: UnaryRule, a: Tensor): Tensor {
  if (rule === UNARY.relu) return reluWrittenOut(a);
  const x = a.data;
  const out = new Float32Array(x.length);
  const f = rule.forward;
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]);
  const r = new Tensor(out, a.shape);
  if (!needsGrad(a)) return r;
  return record(r, name, [a], (g) => {
    const ga = gradArray(g.length);
    const b = rule.backward;
    for (let i = 0; i < g.length; i++) ga[i] = b(g[i], x[i], out[i]);
    accumulateOwned(a, ga);
  });
}

/**
 * UNARY.relu's rule with its loops written out (the same values): CNNs run ReLU over every activation, and
 * the shared loop above calls its rule through a closure V8 cannot inline once several rules have run
 * through it; profiled on the resnet_mini forward, that made ReLU the costliest op, ahead of the convolutions.
 */
function reluWrittenOut(a: Tensor): Tensor {
  const x = a.data;
  const out = forwardArray(x.length);
  if (!reluInto(out, x)) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      out[i] = v > 0 ? v : 0;
    }
  }
  const r = new Tensor(out, a.shape);
  if (!needsGrad(a)) return r;
  return record(r, 'relu', [a], (g) => {
    const ga = gradArray(g.length);
    for (let i = 0; i < g.length; i++) ga[i] = x[i] > 0 ? g[i] : 0;
    accumulateOwned(a, ga);
  });
}

export const neg = (a: Tensor): Tensor => unary('neg', UNARY.neg, a);
export const abs = (a: Tensor): Tensor => unary('abs', UNARY.abs, a);
export const exp = (a: Tensor): Tensor => unary('exp', UNARY.exp, a);
export const log = (a: Tensor): Tensor => unary('log', UNARY.log, a);
export const sqrt = (a: Tensor): Tensor => unary('sqrt', UNARY.sqrt, a);
export const sigmoid = (a: Tensor): Tensor => unary('sigmoid', UNARY.sigmoid, a);
export const relu = (a: Tensor): Tensor => unary('relu', UNARY.relu, a);
export const relu6 = (a: Tensor): Tensor => unary('relu6', UNARY.relu6, a);
export const silu = (a: Tensor): Tensor => unary('silu', UNARY.silu, a);
export const hardswish = (a: Tensor): Tensor => unary('hardswish', UNARY.hardswish, a);
export const hardsigmoid = (a: Tensor): Tensor => unary('hardsigmoid', UNARY.hardsigmoid, a);
export const mish = (a: Tensor): Tensor => unary('mish', UNARY.mish, a);
export const step = (a: Tensor): Tensor => unary('step', UNARY.step, a);
export const leakyRelu = (a: Tensor, negativeSlope = 0.01): Tensor => unary('leakyRelu', leakyReluRule(negativeSlope), a);
export const elu = (a: Tensor, alpha = 1): Tensor => unary('elu', eluRule(alpha), a);
export const softplus = (a: Tensor, beta = 1, threshold = 20): Tensor => unary('softplus', softplusRule(beta, threshold), a);
