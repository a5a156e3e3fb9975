import type { Parameter } from '../nn/parameter';
import { Optimizer, buffer, checkPositive, type ParamState, type ParamsArg } from './optimizer';
import { optimizerDefaults, type OptimizerOptions } from './table';

/** lr, betas, eps, weightDecay, maximize (engine/optim/table.ts). */
export type AdamaxOptions = OptimizerOptions<'Adamax'>;

/**
 * Adamax, PyTorch's rule: Adam with the infinity norm in place of the second moment, so the step is the
 * bias-corrected first moment over the running maximum of |g| (eps added to |g| before the maximum).
 */
export class Adamax extends Optimizer<AdamaxOptions> {
  constructor(params: ParamsArg<AdamaxOptions> | Parameter[], options: Partial<AdamaxOptions> = {}) {
    super(params as ParamsArg<AdamaxOptions>, { ...optimizerDefaults('Adamax'), ...options });
    const o = this.paramGroups[0].options;
    checkPositive('Adamax', 'learning rate', o.lr);
    checkPositive('Adamax', 'epsilon', o.eps);
    checkPositive('Adamax', 'weight decay', o.weightDecay);
    if (o.betas.some((b) => !(b >= 0 && b < 1))) throw new Error(`Adamax: betas must be two numbers in [0, 1), got [${o.betas.join(', ')}]`);
  }

  protected update(p: Float32Array, grad: Float32Array, state: ParamState, o: AdamaxOptions): void {
    const [b1, b2] = o.betas;
    const step = ((state.step as number | undefined) ?? 0) + 1;
    state.step = step;
    const m = buffer(state, 'exp_avg', p.length);
    const u = buffer(state, 'exp_inf', p.length);
    const clr = o.lr / (1 - Math.pow(b1, step));
    const sign = o.maximize ? -1 : 1;
    for (let i = 0; i < p.length; i++) {
      const g = sign * grad[i] + o.weightDecay * p[i];
      const mi = b1 * m[i] + (1 - b1) * g;
      const ui = Math.max(b2 * u[i], Math.abs(g) + o.eps);
      m[i] = mi;
      u[i] = ui;
      p[i] -= (clr * mi) / ui;
    }
  }
}
