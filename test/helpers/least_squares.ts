/**
 * The small least-squares problem the optimizer tests step on: mean((A w - B)^2) from w = W0. The same
 * numbers stand in test/fixtures/optimizers_reference.py (torch's side of
 * test/engine/optimizers_match_pytorch.test.ts); test/engine/optimizer_table_match_pytorch.test.ts hands
 * them to torch itself.
 */
import { tensor, type Tensor } from '../../engine';

export const A = [
  [0.5, -1.0, 2.0],
  [1.5, 0.3, -0.7],
  [-0.2, 0.8, 1.1],
  [1.0, 1.0, -1.0],
];
export const B = [
  [1.0, -1.0],
  [0.5, 2.0],
  [-1.5, 0.3],
  [0.2, 0.1],
];
export const W0 = [
  [0.1, -0.2],
  [0.3, 0.4],
  [-0.5, 0.6],
];

const a = tensor(A);
const b = tensor(B);

/** The loss at `w` (a [3, 2] parameter), ready for backward. */
export const leastSquares = (w: Tensor): Tensor => a.matmul(w).sub(b).pow(2).mean();
