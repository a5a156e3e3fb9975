import type { Parameter } from '../nn/parameter';
import { Optimizer, buffer, checkPositive, type ParamState, type ParamsArg } from './optimizer';
import { optimizerDefaults, type OptimizerOptions } from './table';

/** lr, momentum, dampening, weightDecay, nesterov, maximize (engine/optim/table.ts). */
export type SGDOptions = OptimizerOptions<'SGD'>;

/** Stochastic gradient descent with optional momentum, dampening, Nesterov and weight decay (PyTorch's rule). */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: ParamsArg<SGDOptions> | Parameter[], options: Partial<SGDOptions> & { lr: number }) {
    // The learning rate has no default here, as in PyTorch 1.13: a run names it.
    super(params as ParamsArg<SGDOptions>, { ...optimizerDefaults('SGD'), ...options });
    const o = this.paramGroups[0].options;
    checkPositive('SGD', 'learning rate', o.lr);
    checkPositive('SGD', 'momentum', o.momentum);
    checkPositive('SGD', 'weight decay', o.weightDecay);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) throw new Error('SGD: Nesterov momentum requires a momentum and zero dampening');
  }

  protected update(p: Float32Array, grad: Float32Array, state: ParamState, o: SGDOptions): void {
    const { lr, momentum, dampening, weightDecay, nesterov } = o;
    // PyTorch flips the gradient for maximize before adding weight decay, so decay still shrinks weights.
    const sign = o.maximize ? -1 : 1;
    if (momentum === 0) {
      for (let i = 0; i < p.length; i++) p[i] -= lr * (sign * grad[i] + weightDecay * p[i]);
      return;
    }
    const first = state.momentum_buffer === undefined;
    const buf = buffer(state, 'momentum_buffer', p.length);
    for (let i = 0; i < p.length; i++) {
      const g = sign * grad[i] + weightDecay * p[i];
      const b = first ? g : momentum * buf[i] + (1 - dampening) * g;
      buf[i] = b;
      p[i] -= lr * (nesterov ? g + momentum * b : b);
    }
  }
}
