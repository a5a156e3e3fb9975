import { Tensor } from '../tensor';
import { needsGrad, record } from '../autograd';

/**
 * The binary threshold of the tutorials: 1 where x >= 0, else 0. Its derivative is zero almost everywhere,
 * so it passes no gradient back (the reason networks of steps cannot be trained by backprop).
 */
export function step(a: Tensor): Tensor {
  const x = a.data;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] >= 0 ? 1 : 0;
  const r = new Tensor(out, a.shape);
  return needsGrad(a) ? record(r, 'step', [a], () => {}) : r;
}
