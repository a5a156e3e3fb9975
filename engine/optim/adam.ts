import type { Parameter } from '../nn/parameter';
import { Optimizer, buffer, checkPositive, type ParamState, type ParamsArg } from './optimizer';
import { optimizerDefaults, type OptimizerOptions } from './table';

/** lr, betas, eps, weightDecay, amsgrad, maximize (engine/optim/table.ts; AdamW has the same fields). */
export type AdamOptions = OptimizerOptions<'Adam'>;

/**
 * Adam, PyTorch's rule: bias-corrected first and second moments; weight decay is added to the gradient
 * (L2). `decoupled` switches to AdamW's decay of the weights themselves.
 */
export class Adam extends Optimizer<AdamOptions> {
  protected decoupled = false;

  constructor(params: ParamsArg<AdamOptions> | Parameter[], options: Partial<AdamOptions> = {}) {
    super(params as ParamsArg<AdamOptions>, { ...optimizerDefaults('Adam'), ...options });
    const o = this.paramGroups[0].options;
    checkPositive(this.constructor.name, 'learning rate', o.lr);
    checkPositive(this.constructor.name, 'epsilon', o.eps);
    if (o.betas.length !== 2 || o.betas.some((b) => !(b >= 0 && b < 1))) {
      throw new Error(`${this.constructor.name}: betas must be two numbers in [0, 1), got [${o.betas.join(', ')}]`);
    }
  }

  protected update(p: Float32Array, grad: Float32Array, state: ParamState, o: AdamOptions): void {
    const [b1, b2] = o.betas;
    const { lr, eps, weightDecay } = o;
    const step = ((state.step as number | undefined) ?? 0) + 1;
    state.step = step;
    const m = buffer(state, 'exp_avg', p.length);
    const v = buffer(state, 'exp_avg_sq', p.length);
    const vmax = o.amsgrad ? buffer(state, 'max_exp_avg_sq', p.length) : null;
    const stepSize = lr / (1 - Math.pow(b1, step));
    const c2sqrt = Math.sqrt(1 - Math.pow(b2, step));
    const sign = o.maximize ? -1 : 1;
    const decay = this.decoupled ? 1 - lr * weightDecay : 1;
    const l2 = this.decoupled ? 0 : weightDecay;
    for (let i = 0; i < p.length; i++) {
      const w = p[i] * decay;
      const g = sign * grad[i] + l2 * w;
      const mi = b1 * m[i] + (1 - b1) * g;
      const vi = b2 * v[i] + (1 - b2) * g * g;
      m[i] = mi;
      v[i] = vi;
      let second = vi;
      if (vmax !== null) {
        second = Math.max(vmax[i], vi);
        vmax[i] = second;
      }
      p[i] = w - (stepSize * mi) / (Math.sqrt(second) / c2sqrt + eps);
    }
  }
}

/** Adam with decoupled weight decay (default 0.01), PyTorch's AdamW. */
export class AdamW extends Adam {
  constructor(params: ParamsArg<AdamOptions> | Parameter[], options: Partial<AdamOptions> = {}) {
    super(params, { ...optimizerDefaults('AdamW'), ...options });
    this.decoupled = true;
  }
}
