export { Module, type LoadResult } from './module';
export { Parameter } from './parameter';
export { Sequential } from './sequential';
export { Linear } from './linear';
export { ReLU, LeakyReLU, Tanh, Sigmoid, GELU, Softmax, LogSoftmax, Step } from './activation';
export { Flatten, Identity, Dropout } from './shape_layers';
export { Loss, MSELoss, L1Loss, BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, NLLLoss, type LossOptions } from './loss';
export * as init from './init';
export * as functional from '../ops';
