export { Optimizer, type OptimizerStateDict, type ParamGroup } from './optimizer';
export { SGD, type SGDOptions } from './sgd';
export { Adam, AdamW, type AdamOptions } from './adam';
export { Adagrad, type AdagradOptions } from './adagrad';
export { RMSprop, type RMSpropOptions } from './rmsprop';
export * as lrScheduler from './lr_scheduler';
