import { Tensor } from '../tensor';
import { accumulateOwned, needsGrad, record } from '../autograd';
import { gradArray } from '../buffer_pool';

/**
 * The binary threshold of the tutorials: 1 where x >= 0, else 0. Its derivative is zero almost everywhere,
 * so what flows back is a zero gradient (the reason networks of steps cannot be trained by backprop). It
 * is sent rather than dropped so that the layers below get a zero `.grad`, as PyTorch gives for sign() or
 * round(), not a null one that would look like a parameter the loss never reached.
 */
export function step(a: Tensor): Tensor {
  const x = a.data;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] >= 0 ? 1 : 0;
  const r = new Tensor(out, a.shape);
  return needsGrad(a) ? record(r, 'step', [a], () => accumulateOwned(a, gradArray(x.length))) : r;
}
