export { Module, type LoadResult } from './module';
export { Parameter } from './parameter';
export { Sequential } from './sequential';
export { Linear } from './linear';
// Every activation class, so the catalogue's `engineClass` finds a new one without a second list here.
export * from './activation';
export { Flatten, Identity, Dropout, Dropout2d, Unflatten, Upsample, ZeroPad2d } from './shape_layers';
export { Conv1d, Conv2d, ConvTranspose2d, type Conv1dOptions, type Conv2dOptions, type ConvTranspose2dOptions } from './conv';
export { MaxPool1d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, AdaptiveMaxPool2d, type MaxPoolOptions, type AvgPool2dOptions } from './pooling';
export { BatchNorm1d, BatchNorm2d, LayerNorm, GroupNorm, type BatchNormOptions } from './normalization';
export { Loss, MSELoss, L1Loss, BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, NLLLoss, type LossOptions } from './loss';
export * as init from './init';
export * as functional from '../ops';

// The layers above recycle each other's results under noGrad; a user's module never takes part (engine_forwards.ts).
import * as activation from './activation';
import * as conv from './conv';
import * as linear from './linear';
import * as normalization from './normalization';
import * as pooling from './pooling';
import * as sequential from './sequential';
import * as shapeLayers from './shape_layers';
import { registerEngineForwards } from './engine_forwards';
registerEngineForwards(activation, conv, linear, normalization, pooling, sequential, shapeLayers);
