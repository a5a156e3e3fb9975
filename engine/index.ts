/**
 * NN Blocks engine: tensors with reverse-mode autograd, PyTorch-style nn modules, init, losses,
 * optimizers, data loading and safetensors IO. Pure TypeScript, no VS Code, usable from any Node script.
 */
export { Tensor, type TensorLike, type NestedArray } from './tensor';
export { tensor, zeros, ones, full, zerosLike, onesLike, rand, randn, randint, arange, linspace, eye } from './creation';
export { manualSeed, Generator, defaultGenerator } from './random';
export { noGrad, isGradEnabled, setGradEnabled } from './autograd';
export { cat, stack } from './ops';
export * as nn from './nn';
export * as init from './nn/init';
export * as functional from './ops';
export { formatShape, type Shape } from './shape';
export * as optim from './optim';
export * as data from './data';
export * as io from './io';
