export { mseLoss } from './mse_loss';
export { l1Loss } from './l1_loss';
export { bceLoss } from './bce_loss';
export { bceWithLogitsLoss } from './bce_with_logits';
export { crossEntropy } from './cross_entropy';
export { nllLoss } from './nll_loss';
export type { Reduction } from './loss_common';
