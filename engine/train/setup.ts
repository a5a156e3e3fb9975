/**
 * Turns a run config into live objects: loss module, optimizer and schedule from the engine (the last
 * two built from their tables), and the model's output size found by one probe forward pass (so it
 * works for any document the builder accepts).
 */
import { Tensor } from '../tensor';
import { noGrad } from '../autograd';
import * as nn from '../nn';
import * as optim from '../optim';
import type { Module } from '../nn';
import type { LossName, OptimizerSpec, RunConfig, ScheduleSpec } from './config';
import { LOSSES } from '../graph/training';

export function makeLoss(spec: RunConfig['loss']): nn.Loss {
  const options = { reduction: spec.reduction };
  const table: Record<LossName, () => nn.Loss> = {
    MSELoss: () => new nn.MSELoss(options),
    L1Loss: () => new nn.L1Loss(options),
    BCELoss: () => new nn.BCELoss(options),
    BCEWithLogitsLoss: () => new nn.BCEWithLogitsLoss(options),
    CrossEntropyLoss: () => new nn.CrossEntropyLoss(options),
    NLLLoss: () => new nn.NLLLoss(options),
  };
  return table[spec.type]();
}

/** Losses applied to raw scores, whose predictions threshold at 0 / take the argmax of logits. */
export const takesLogits = (loss: LossName): boolean => LOSSES[loss].takesLogits;

export type AnyOptimizer = optim.Optimizer<optim.Hyper>;

/** The optimizer the config names, from the optimizer table (engine/optim/table.ts) with its fields. */
export function makeOptimizer(model: Module, spec: OptimizerSpec): AnyOptimizer {
  const params = model.parameters();
  if (params.length === 0) throw new Error('the model has no trainable parameters: add a layer with weights (e.g. Linear) before training');
  return optim.createOptimizer(spec.type, params, { ...spec.options, lr: spec.lr });
}

export function makeScheduler(optimizer: AnyOptimizer, spec: ScheduleSpec | null): optim.lrScheduler.LRScheduler | null {
  return spec === null ? null : optim.createScheduler(spec.type, optimizer, spec);
}

/** Values per sample the model produces, from one sample pushed through in eval mode (no randomness drawn). */
export function probeOutputSize(model: Module, inputShape: readonly number[], sample: Float32Array): number {
  const wasTraining = model.training;
  model.eval();
  try {
    const out = noGrad(() => model.forward(new Tensor(sample.slice(), [1, ...inputShape])));
    return out.data.length;
  } finally {
    model.train(wasTraining);
  }
}
