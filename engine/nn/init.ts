/**
 * In-place initialisers with PyTorch's names (trailing underscore = modifies its argument) and formulas,
 * drawing from the seeded default generator. They run without recording gradients.
 */
import type { Tensor } from '../tensor';
import { defaultGenerator, type Generator } from '../random';
import { formatShape } from '../shape';

export type Nonlinearity = 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';
export type FanMode = 'fan_in' | 'fan_out';

/** The recommended gain for a nonlinearity, as torch.nn.init.calculate_gain. */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new Error(`calculateGain: unsupported nonlinearity '${String(nonlinearity)}'`);
  }
}

/** fan_in and fan_out of a weight: for Linear's [out, in], fan_in = in and fan_out = out. */
export function calculateFanInAndFanOut(t: Tensor): [number, number] {
  if (t.shape.length < 2) {
    throw new Error(`fan in and fan out cannot be computed for a tensor with fewer than 2 dimensions (shape ${formatShape(t.shape)})`);
  }
  let receptive = 1;
  for (let i = 2; i < t.shape.length; i++) receptive *= t.shape[i];
  return [t.shape[1] * receptive, t.shape[0] * receptive];
}

export function uniform_(t: Tensor, a = 0, b = 1, generator: Generator = defaultGenerator): Tensor {
  const d = t.data;
  for (let i = 0; i < d.length; i++) d[i] = a + (b - a) * generator.random();
  return t;
}

export function normal_(t: Tensor, mean = 0, std = 1, generator: Generator = defaultGenerator): Tensor {
  const d = t.data;
  for (let i = 0; i < d.length; i++) d[i] = mean + std * generator.normal();
  return t;
}

export function constant_(t: Tensor, value: number): Tensor {
  t.data.fill(value);
  return t;
}

export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}

export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

export function xavierUniform_(t: Tensor, gain = 1, generator: Generator = defaultGenerator): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  const a = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -a, a, generator);
}

export function xavierNormal_(t: Tensor, gain = 1, generator: Generator = defaultGenerator): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  return normal_(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), generator);
}

export interface KaimingOptions {
  a?: number;
  mode?: FanMode;
  nonlinearity?: Nonlinearity;
  generator?: Generator;
}

function kaimingStd(t: Tensor, o: KaimingOptions): number {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  const fan = (o.mode ?? 'fan_in') === 'fan_in' ? fanIn : fanOut;
  const gain = calculateGain(o.nonlinearity ?? 'leaky_relu', o.a ?? 0);
  return gain / Math.sqrt(fan);
}

/** He uniform init; PyTorch's Linear default is kaimingUniform_(w, { a: Math.sqrt(5) }). */
export function kaimingUniform_(t: Tensor, options: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd(t, options);
  return uniform_(t, -bound, bound, options.generator);
}

export function kaimingNormal_(t: Tensor, options: KaimingOptions = {}): Tensor {
  return normal_(t, 0, kaimingStd(t, options), options.generator);
}
