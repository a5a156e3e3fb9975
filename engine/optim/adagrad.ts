import type { Parameter } from '../nn/parameter';
import { Optimizer, buffer, checkPositive, type ParamState, type ParamsArg } from './optimizer';
import { optimizerDefaults, type OptimizerOptions } from './table';

/** lr, lrDecay, weightDecay, initialAccumulatorValue, eps (engine/optim/table.ts). */
export type AdagradOptions = OptimizerOptions<'Adagrad'>;

/** Adagrad: per-coordinate steps shrink with the running sum of squared gradients. */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: ParamsArg<AdagradOptions> | Parameter[], options: Partial<AdagradOptions> = {}) {
    super(params as ParamsArg<AdagradOptions>, { ...optimizerDefaults('Adagrad'), ...options });
    checkPositive('Adagrad', 'learning rate', this.paramGroups[0].options.lr);
  }

  protected update(p: Float32Array, grad: Float32Array, state: ParamState, o: AdagradOptions): void {
    const step = ((state.step as number | undefined) ?? 0) + 1;
    state.step = step;
    const sum = buffer(state, 'sum', p.length, new Float32Array(p.length).fill(o.initialAccumulatorValue));
    const clr = o.lr / (1 + (step - 1) * o.lrDecay);
    for (let i = 0; i < p.length; i++) {
      const g = grad[i] + o.weightDecay * p[i];
      const s = sum[i] + g * g;
      sum[i] = s;
      p[i] -= (clr * g) / (Math.sqrt(s) + o.eps);
    }
  }
}
