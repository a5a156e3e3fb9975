import type { Parameter } from '../nn/parameter';
import { Optimizer, buffer, checkPositive, type ParamState, type ParamsArg } from './optimizer';
import { optimizerDefaults, type OptimizerOptions } from './table';

/** lr, alpha, eps, weightDecay, momentum, centered (engine/optim/table.ts). */
export type RMSpropOptions = OptimizerOptions<'RMSprop'>;

/** RMSprop: steps scaled by a running average of squared gradients; optionally centered and with momentum. */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: ParamsArg<RMSpropOptions> | Parameter[], options: Partial<RMSpropOptions> = {}) {
    super(params as ParamsArg<RMSpropOptions>, { ...optimizerDefaults('RMSprop'), ...options });
    const o = this.paramGroups[0].options;
    checkPositive('RMSprop', 'learning rate', o.lr);
    checkPositive('RMSprop', 'alpha', o.alpha);
    checkPositive('RMSprop', 'momentum', o.momentum);
  }

  protected update(p: Float32Array, grad: Float32Array, state: ParamState, o: RMSpropOptions): void {
    state.step = ((state.step as number | undefined) ?? 0) + 1;
    const sq = buffer(state, 'square_avg', p.length);
    const gavg = o.centered ? buffer(state, 'grad_avg', p.length) : null;
    const mom = o.momentum > 0 ? buffer(state, 'momentum_buffer', p.length) : null;
    const { alpha, eps, lr } = o;
    for (let i = 0; i < p.length; i++) {
      const g = grad[i] + o.weightDecay * p[i];
      const s = alpha * sq[i] + (1 - alpha) * g * g;
      sq[i] = s;
      let avg: number;
      if (gavg !== null) {
        const ga = alpha * gavg[i] + (1 - alpha) * g;
        gavg[i] = ga;
        avg = Math.sqrt(s - ga * ga) + eps;
      } else avg = Math.sqrt(s) + eps;
      if (mom !== null) {
        const b = o.momentum * mom[i] + g / avg;
        mom[i] = b;
        p[i] -= lr * b;
      } else p[i] -= (lr * g) / avg;
    }
  }
}
