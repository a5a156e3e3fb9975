/**
 * A run that diverged: the loss became NaN or infinite, a step left non-finite weights behind a finite
 * loss (such a state is never kept as a good checkpoint), or the loss stayed finite but grew by orders of
 * magnitude or ended far above where it started (lr 1e6 on the spiral "completes" at loss 1e5 with chance
 * accuracy otherwise). The message says what to change.
 */
import type { Module } from '../../nn';

/** A logged loss this many times the starting loss has diverged, finite or not. */
export const GROWTH_FACTOR = 1000;
/** A run whose last logged loss is this many times its starting loss ended diverged. */
export const END_FACTOR = 10;
// The starting loss can be (nearly) zero: growth is measured from at least this, so noise around 0 is no divergence.
const LOSS_FLOOR = 1e-6;

export interface Divergence {
  step: number;
  loss: number;
  /** true: the weights, not the loss, stopped being finite. */
  weights?: boolean;
  /** The starting loss, when a finite loss grew too far from it. */
  from?: number;
  /** With `from`: the run ended (rather than grew past GROWTH_FACTOR) far above its start. */
  atEnd?: boolean;
}

export function weightsFinite(model: Module): boolean {
  for (const p of model.parameters()) {
    const d = p.data;
    for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return false;
  }
  return true;
}

/**
 * Whether a finite logged loss `loss` at `step` has diverged from the run's starting loss `from`: grown
 * GROWTH_FACTOR-fold, or, at the last step, still END_FACTOR-fold.
 */
export function lossGrowth(from: number, loss: number, step: number, last: boolean): Divergence | null {
  const base = Math.max(from, LOSS_FLOOR);
  if (loss > GROWTH_FACTOR * base) return { step, loss, from };
  if (last && loss > END_FACTOR * base) return { step, loss, from, atEnd: true };
  return null;
}

/** A number as a person writes it: 1e+29, 0.0003, not 1.0000000000000001e+29 or 0.00030000000000000003. */
export function cleanNumber(x: number, digits = 12): string {
  return String(Number(x.toPrecision(digits)));
}

/** What happened, the likely fix (a tenth of the learning rate `lr`) and the checkpoint that is kept. */
export function divergenceMessage(d: Divergence, lr: number, lastCheckpoint: string | undefined): string {
  const what = d.weights
    ? `The weights became NaN or infinite at step ${d.step}, so training stopped. `
    : d.from === undefined
      ? `The loss became ${d.loss} at step ${d.step}, so training stopped. `
      : d.atEnd
        ? `The loss ended at ${cleanNumber(d.loss, 4)} after step ${d.step}, far above where it started (${cleanNumber(d.from, 4)}): the run diverged. `
        : `The loss grew from ${cleanNumber(d.from, 4)} to ${cleanNumber(d.loss, 4)} by step ${d.step}, so training stopped. `;
  const kept =
    lastCheckpoint === undefined
      ? 'No checkpoint was written before that.'
      : d.from === undefined
        ? `The last good checkpoint is kept: checkpoints/${lastCheckpoint}.`
        : `The last checkpoint before that is kept: checkpoints/${lastCheckpoint}.`;
  return `${what}Likely fix: lower the learning rate (now ${cleanNumber(lr)}; try ${cleanNumber(lr / 10)}), or check the data for very large, missing or unscaled values. ${kept}`;
}
