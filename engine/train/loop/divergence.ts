/**
 * A run that diverged: the loss became NaN or infinite, or a step left non-finite weights behind a finite
 * loss (such a state is never kept as a good checkpoint). The message says what to change.
 */
import type { Module } from '../../nn';

export interface Divergence {
  step: number;
  loss: number;
  /** true: the weights, not the loss, stopped being finite. */
  weights?: boolean;
}

export function weightsFinite(model: Module): boolean {
  for (const p of model.parameters()) {
    const d = p.data;
    for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return false;
  }
  return true;
}

/** What happened, the likely fix (a tenth of the learning rate `lr`) and the checkpoint that is kept. */
export function divergenceMessage(d: Divergence, lr: number, lastCheckpoint: string | undefined): string {
  return (
    (d.weights
      ? `The weights became NaN or infinite at step ${d.step}, so training stopped. `
      : `The loss became ${d.loss} at step ${d.step}, so training stopped. `) +
    `Likely fix: lower the learning rate (now ${lr}; try ${lr / 10}), or check the data for very large, missing or unscaled values. ` +
    `The last good checkpoint is kept: checkpoints/${lastCheckpoint}.`
  );
}
