// Every differentiable op against central finite differences.
import test from 'node:test';
import { cat, stack, functional as F, Generator, tensor } from '../../engine';
import { awayFromZero, gradcheck, positive, rnd } from '../helpers/gradcheck';

test('elementwise arithmetic with broadcasting', () => {
  gradcheck('add', (a, b) => a.add(b), [rnd([3, 4], 1), rnd([3, 4], 2)]);
  gradcheck('add bias row', (a, b) => a.add(b), [rnd([3, 4], 1), rnd([4], 2)]);
  gradcheck('add column', (a, b) => a.add(b), [rnd([3, 4], 1), rnd([3, 1], 2)]);
  gradcheck('add outer', (a, b) => a.add(b), [rnd([3, 1], 1), rnd([1, 4], 2)]);
  gradcheck('add scalar tensor', (a, b) => a.add(b), [rnd([2, 3], 1), rnd([], 2)]);
  gradcheck('add number', (a) => a.add(2.5), [rnd([5], 3)]);
  gradcheck('sub', (a, b) => a.sub(b), [rnd([2, 3, 4], 4), rnd([3, 1], 5)]);
  gradcheck('sub number', (a) => a.sub(1), [rnd([5], 3)]);
  gradcheck('mul', (a, b) => a.mul(b), [rnd([2, 3, 4], 6), rnd([4], 7)]);
  gradcheck('mul number', (a) => a.mul(-3), [rnd([4], 8)]);
  gradcheck('div', (a, b) => a.div(b), [rnd([3, 4], 9), awayFromZero([3, 4], 10, 0.5)]);
  gradcheck('div broadcast', (a, b) => a.div(b), [rnd([3, 4], 9), awayFromZero([1, 4], 10, 0.5)]);
  gradcheck('div number', (a) => a.div(4), [rnd([4], 11)]);
  gradcheck('neg', (a) => a.neg(), [rnd([6], 12)]);
});

test('unary math', () => {
  gradcheck('exp', (a) => a.exp(), [rnd([7], 13)]);
  gradcheck('log', (a) => a.log(), [positive([7], 14)], { eps: 1e-3 });
  gradcheck('sqrt', (a) => a.sqrt(), [positive([7], 15)], { eps: 1e-3 });
  gradcheck('abs', (a) => a.abs(), [awayFromZero([7], 16)]);
  gradcheck('pow 2', (a) => a.pow(2), [rnd([7], 17)]);
  gradcheck('pow 3', (a) => a.pow(3), [rnd([7], 17)]);
  gradcheck('pow -1.5', (a) => a.pow(-1.5), [positive([7], 18)], { eps: 1e-3 });
  // Inputs kept clear of the kinks at ±0.5, where the finite difference straddles two slopes.
  gradcheck('clamp', (a) => a.clamp(-0.5, 0.5), [tensor([-1.2, -0.7, -0.3, -0.1, 0.05, 0.2, 0.45, 0.56, 0.9, 2])]);
});

test('activations', () => {
  gradcheck('tanh', (a) => a.tanh(), [rnd([3, 5], 20)]);
  gradcheck('sigmoid', (a) => a.sigmoid(), [rnd([3, 5], 21)]);
  gradcheck('relu', (a) => a.relu(), [awayFromZero([3, 5], 22)]);
  gradcheck('leakyRelu', (a) => a.leakyRelu(0.2), [awayFromZero([3, 5], 23)]);
  gradcheck('gelu', (a) => a.gelu(), [rnd([3, 5], 24).mul(2)]);
  gradcheck('softmax dim 1', (a) => a.softmax(1), [rnd([3, 5], 25)]);
  gradcheck('softmax dim 0', (a) => a.softmax(0), [rnd([3, 5], 26)]);
  gradcheck('softmax 3d middle', (a) => a.softmax(1), [rnd([2, 3, 4], 27)]);
  gradcheck('logSoftmax dim -1', (a) => a.logSoftmax(-1), [rnd([3, 5], 28)]);
  gradcheck('logSoftmax dim 0', (a) => a.logSoftmax(0), [rnd([3, 5], 29)]);
});

test('matrix products', () => {
  gradcheck('matmul 2d', (a, b) => a.matmul(b), [rnd([3, 4], 30), rnd([4, 5], 31)]);
  gradcheck('matmul vector-matrix', (a, b) => a.matmul(b), [rnd([4], 32), rnd([4, 3], 33)]);
  gradcheck('matmul matrix-vector', (a, b) => a.matmul(b), [rnd([3, 4], 34), rnd([4], 35)]);
  gradcheck('matmul dot', (a, b) => a.matmul(b), [rnd([6], 36), rnd([6], 37)]);
  gradcheck('matmul batched', (a, b) => a.matmul(b), [rnd([2, 3, 4], 38), rnd([2, 4, 2], 39)]);
  gradcheck('matmul 3d @ 2d', (a, b) => a.matmul(b), [rnd([2, 3, 4], 40), rnd([4, 2], 41)]);
  gradcheck('linear', (x, w, b) => F.linear(x, w, b), [rnd([5, 3], 42), rnd([4, 3], 43), rnd([4], 44)]);
  gradcheck('linear no bias, 3d input', (x, w) => F.linear(x, w, null), [rnd([2, 5, 3], 45), rnd([4, 3], 46)]);
});

test('reductions', () => {
  gradcheck('sum all', (a) => a.sum(), [rnd([3, 4], 50)]);
  gradcheck('sum dim 0', (a) => a.sum(0), [rnd([3, 4], 51)]);
  gradcheck('sum dim -1 keepdim', (a) => a.sum(-1, true), [rnd([3, 4], 52)]);
  gradcheck('sum dims [0, 2]', (a) => a.sum([0, 2]), [rnd([2, 3, 4], 53)]);
  gradcheck('mean all', (a) => a.mean(), [rnd([3, 4], 54)]);
  gradcheck('mean dim 1', (a) => a.mean(1), [rnd([3, 4], 55)]);
  // Distinct values at least 0.1 apart, so a finite-difference step never changes which one wins.
  const spread = () => tensor([0.3, -1.1, 0.9, 0.1, -0.4, 1.5, -0.8, 0.6, 1.2, -0.1, 0.0, -1.4], [3, 4]);
  gradcheck('max all', (a) => a.max(), [spread()]);
  gradcheck('max dim 1', (a) => a.max(1), [spread()]);
  gradcheck('min dim 0 keepdim', (a) => a.min(0, true), [spread()]);
});

test('shape ops', () => {
  gradcheck('reshape', (a) => a.reshape(4, -1).mul(a.reshape(4, 3)), [rnd([2, 6], 60)]);
  gradcheck('flatten', (a) => a.flatten(1).pow(2), [rnd([2, 3, 2], 61)]);
  gradcheck('unsqueeze/squeeze', (a) => a.unsqueeze(1).squeeze(1).pow(2), [rnd([3, 2], 62)]);
  gradcheck('transpose', (a) => a.transpose(0, 1), [rnd([3, 4], 63)]);
  gradcheck('permute', (a) => a.permute(2, 0, 1), [rnd([2, 3, 4], 64)]);
  gradcheck('narrow', (a) => a.narrow(1, 1, 2), [rnd([3, 4], 65)]);
  gradcheck('cat dim 1', (a, b) => cat([a, b], 1), [rnd([2, 3], 66), rnd([2, 2], 67)]);
  gradcheck('cat dim 0', (a, b) => cat([a, b, a], 0), [rnd([2, 3], 68), rnd([1, 3], 69)]);
  gradcheck('stack', (a, b) => stack([a, b], 1), [rnd([2, 3], 70), rnd([2, 3], 71)]);
});

test('dropout passes gradient through the kept units only', () => {
  const g = new Generator(5);
  gradcheck('dropout', (a) => F.dropout(a, 0.4, true, g), [rnd([4, 5], 72)], { before: () => g.manualSeed(99) });
});

test('losses', () => {
  const target = rnd([4, 3], 80);
  gradcheck('mse', (a) => F.mseLoss(a, target), [rnd([4, 3], 81)]);
  gradcheck('mse sum', (a) => F.mseLoss(a, target, 'sum'), [rnd([4, 3], 82)]);
  gradcheck('mse none', (a) => F.mseLoss(a, target, 'none'), [rnd([4, 3], 82)]);
  gradcheck('mse wrt target', (t) => F.mseLoss(rnd([4, 3], 83), t), [rnd([4, 3], 84)]);
  gradcheck('l1', (a) => F.l1Loss(a, target), [rnd([4, 3], 85).add(0.01)]);
  const labels01 = tensor([[0], [1], [1], [0]]);
  gradcheck('bce', (a) => F.bceLoss(a.sigmoid(), labels01), [rnd([4, 1], 86)]);
  gradcheck('bceWithLogits', (a) => F.bceWithLogitsLoss(a, labels01), [rnd([4, 1], 87).mul(3)]);
  gradcheck('bceWithLogits soft targets', (a) => F.bceWithLogitsLoss(a, tensor([[0.2], [0.7], [1], [0.5]])), [rnd([4, 1], 88)]);
  const classes = tensor([2, 0, 1, 2]);
  gradcheck('crossEntropy', (a) => F.crossEntropy(a, classes), [rnd([4, 3], 89)]);
  gradcheck('crossEntropy sum', (a) => F.crossEntropy(a, classes, 'sum'), [rnd([4, 3], 90)]);
  gradcheck(
    'crossEntropy soft',
    (a) =>
      F.crossEntropy(
        a,
        tensor([
          [0.2, 0.3, 0.5],
          [1, 0, 0],
          [0, 0.5, 0.5],
          [0.1, 0.1, 0.1],
        ]),
      ),
    [rnd([4, 3], 91)],
  );
  gradcheck('nll of logSoftmax', (a) => F.nllLoss(a.logSoftmax(1), classes), [rnd([4, 3], 92)]);
});

test('a graph that reuses a tensor accumulates both paths', () => {
  gradcheck('x*x + x', (a) => a.mul(a).add(a), [rnd([5], 93)]);
  gradcheck(
    'shared subexpression',
    (a, b) => {
      const h = a.matmul(b).tanh();
      return h.mul(h.sigmoid()).add(h);
    },
    [rnd([3, 4], 94), rnd([4, 2], 95)],
  );
});

test('the WebAssembly paths (blocked gemm, fused tanh and BCE-with-logits kernels) differentiate correctly too', () => {
  // Sizes past the small-kernel thresholds (engine/kernels/matmul.ts preferScalar, 16 values for the
  // elementwise kernels), so these run the code that training real models runs.
  gradcheck('matmul 24x40 @ 40x32', (a, b) => a.matmul(b), [rnd([24, 40], 100), rnd([40, 32], 101)]);
  gradcheck('matmul batched 2x12x20 @ 2x20x16', (a, b) => a.matmul(b), [rnd([2, 12, 20], 102), rnd([2, 20, 16], 103)]);
  gradcheck('linear 3d input, 40 -> 32', (x, w, b) => F.linear(x, w, b), [rnd([2, 12, 40], 104), rnd([32, 40], 105), rnd([32], 106)]);
  gradcheck('tanh 4x8', (a) => a.tanh(), [rnd([4, 8], 107)]);
  const labels = tensor(Array.from({ length: 20 }, (_, i) => [i % 3 === 0 ? 1 : 0]));
  gradcheck('bceWithLogits 20x1', (a) => F.bceWithLogitsLoss(a, labels), [rnd([20, 1], 108).mul(2)]);
  gradcheck('bceWithLogits 20x1 none', (a) => F.bceWithLogitsLoss(a, labels, 'none'), [rnd([20, 1], 109)]);
});

test('loss reductions and target gradients', () => {
  const target = rnd([4, 3], 110);
  gradcheck('l1 sum', (a) => F.l1Loss(a, target, 'sum'), [rnd([4, 3], 111).add(0.01)]);
  gradcheck('l1 none', (a) => F.l1Loss(a, target, 'none'), [rnd([4, 3], 112).add(0.01)]);
  gradcheck('l1 wrt target', (t) => F.l1Loss(rnd([4, 3], 113), t), [rnd([4, 3], 114).add(0.01)]);
  const labels01 = tensor([[0], [1], [1], [0]]);
  gradcheck('bce sum', (a) => F.bceLoss(a.sigmoid(), labels01, 'sum'), [rnd([4, 1], 115)]);
  gradcheck('bce none', (a) => F.bceLoss(a.sigmoid(), labels01, 'none'), [rnd([4, 1], 116)]);
  gradcheck('bce wrt soft target', (t) => F.bceLoss(tensor([[0.2], [0.7], [0.4], [0.9]]), t.sigmoid()), [rnd([4, 1], 117)]);
  gradcheck('bceWithLogits none', (a) => F.bceWithLogitsLoss(a, labels01, 'none'), [rnd([4, 1], 118)]);
  gradcheck('bceWithLogits wrt target', (t) => F.bceWithLogitsLoss(rnd([4, 1], 119), t.sigmoid()), [rnd([4, 1], 120)]);
  const classes = tensor([2, 0, 1, 2]);
  gradcheck('crossEntropy none', (a) => F.crossEntropy(a, classes, 'none'), [rnd([4, 3], 121)]);
  gradcheck('crossEntropy one sample', (a) => F.crossEntropy(a, tensor(1)), [rnd([3], 122)]);
  gradcheck('nll sum', (a) => F.nllLoss(a.logSoftmax(1), classes, 'sum'), [rnd([4, 3], 123)]);
  gradcheck('nll none', (a) => F.nllLoss(a.logSoftmax(1), classes, 'none'), [rnd([4, 3], 124)]);
});

test('clone and step', () => {
  gradcheck('clone', (a) => a.clone().mul(a), [rnd([5], 125)]);
  // Away from 0, a small nudge never flips a step: both sides agree the derivative is 0.
  gradcheck('step', (a) => a.step().mul(3).add(a), [awayFromZero([6], 126)]);
});
