import type { Parameter } from '../nn/parameter';
import { withDefaults } from './hyper';
import { Optimizer, type Hyper } from './optimizer';
import { SGD } from './sgd';
import { Adam, AdamW } from './adam';
import { Adamax } from './adamax';
import { Adagrad } from './adagrad';
import { RMSprop } from './rmsprop';
import { OPTIMIZERS, type OptimizerName, type OptimizerOptions } from './table';
import { SCHEDULES, type ScheduleName, type ScheduleOptions } from './schedule_table';
import { StepLR, ExponentialLR, CosineAnnealingLR, type LRScheduler } from './lr_scheduler';

export { Optimizer, type OptimizerStateDict, type ParamGroup, type Hyper } from './optimizer';
export { SGD, type SGDOptions } from './sgd';
export { Adam, AdamW, type AdamOptions } from './adam';
export { Adamax, type AdamaxOptions } from './adamax';
export { Adagrad, type AdagradOptions } from './adagrad';
export { RMSprop, type RMSpropOptions } from './rmsprop';
export * as lrScheduler from './lr_scheduler';
export { OPTIMIZERS, OPTIMIZER_NAMES, optimizerDefaults, type OptimizerName, type OptimizerOptions } from './table';
export { SCHEDULES, SCHEDULE_NAMES, scheduleDefaults, type ScheduleName, type ScheduleOptions } from './schedule_table';

/** The engine class of each optimizer in the table: a missing one is a compile error here. */
const OPTIMIZER_CLASSES: { [N in OptimizerName]: new (params: Parameter[], options: OptimizerOptions<N>) => Optimizer<OptimizerOptions<N>> } = {
  SGD,
  Adam,
  AdamW,
  Adamax,
  Adagrad,
  RMSprop,
};

/** The engine class of each schedule in the table. */
const SCHEDULE_CLASSES: { [N in ScheduleName]: new (optimizer: Optimizer<Hyper>, options: ScheduleOptions<N>) => LRScheduler } = {
  StepLR,
  ExponentialLR,
  CosineAnnealingLR,
};

/**
 * Optimizer `name` of the table over `params`, with the fields `written` (in the table's names) over the
 * table's defaults: how a training run builds the optimizer its document names.
 */
export function createOptimizer<N extends OptimizerName>(name: N, params: Parameter[], written: Readonly<Record<string, unknown>>): Optimizer<Hyper> {
  const Class = OPTIMIZER_CLASSES[name];
  return new Class(params, withDefaults(OPTIMIZERS[name].fields, written));
}

/** Schedule `name` of the table on `optimizer`, with the fields `written` over the table's defaults. */
export function createScheduler<N extends ScheduleName>(
  name: N,
  optimizer: Optimizer<Hyper>,
  written: Readonly<Record<string, unknown>>,
): LRScheduler {
  const Class = SCHEDULE_CLASSES[name];
  return new Class(optimizer, withDefaults(SCHEDULES[name].fields, written));
}
