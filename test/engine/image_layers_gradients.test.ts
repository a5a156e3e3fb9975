// The image ops' gradients against central finite differences (the PyTorch comparison proves the same
// numbers for the layers; this proves that each backward fits its own forward, option by option).
import test from 'node:test';
import { functional as F, Tensor } from '../../engine';
import { gradcheck, rnd } from '../helpers/gradcheck';

test('conv2d: stride, padding, dilation, groups, same, 1x1', () => {
  gradcheck('conv2d', (x, w, b) => F.conv2d(x, w, b), [rnd([2, 3, 5, 4], 1), rnd([4, 3, 3, 2], 2), rnd([4], 3)]);
  gradcheck('conv2d strided', (x, w, b) => F.conv2d(x, w, b, { stride: [2, 3], padding: [1, 2] }), [
    rnd([1, 2, 7, 8], 4),
    rnd([3, 2, 3, 3], 5),
    rnd([3], 6),
  ]);
  gradcheck('conv2d dilated', (x, w) => F.conv2d(x, w, null, { dilation: 2, padding: 1 }), [rnd([1, 2, 6, 7], 7), rnd([2, 2, 3, 3], 8)]);
  gradcheck('conv2d groups', (x, w, b) => F.conv2d(x, w, b, { groups: 2, stride: 2 }), [rnd([2, 4, 5, 5], 9), rnd([6, 2, 2, 3], 10), rnd([6], 11)]);
  gradcheck('conv2d same', (x, w) => F.conv2d(x, w, null, { padding: 'same' }), [rnd([1, 2, 5, 6], 12), rnd([3, 2, 4, 3], 13)]);
  gradcheck('conv2d 1x1', (x, w) => F.conv2d(x, w), [rnd([2, 3, 3, 4], 14), rnd([2, 3, 1, 1], 15)]);
  gradcheck('conv1d', (x, w, b) => F.conv1d(x, w, b, { stride: 2, padding: 2, dilation: 2 }), [rnd([2, 3, 9], 16), rnd([2, 3, 3], 17), rnd([2], 18)]);
});

test('convTranspose2d: stride, padding, outputPadding, groups, dilation', () => {
  gradcheck('convTranspose2d', (x, w, b) => F.convTranspose2d(x, w, b, { stride: 2, padding: 1, outputPadding: 1 }), [
    rnd([2, 3, 3, 4], 19),
    rnd([3, 2, 3, 3], 20),
    rnd([2], 21),
  ]);
  gradcheck('convTranspose2d groups', (x, w) => F.convTranspose2d(x, w, null, { groups: 2, dilation: [2, 1], stride: [1, 2] }), [
    rnd([1, 4, 3, 3], 22),
    rnd([4, 1, 2, 3], 23),
  ]);
});

/** Distinct values 0.1 apart and none at 0 (no ties inside a window, no kinks): max and PReLU are differentiable there. */
function distinct(shape: number[], seed: number): Tensor {
  const t = rnd(shape, seed);
  const order = [...t.data.keys()].sort((a, b) => t.data[a] - t.data[b]);
  order.forEach((idx, rank) => (t.data[idx] = (rank - order.length / 2 + 0.5) * 0.1));
  return t;
}

test('pooling: max (stride, padding, dilation, ceil), average (padding counted or not), adaptive', () => {
  gradcheck('maxPool2d', (x) => F.maxPool2d(x, 2), [distinct([2, 2, 5, 4], 24)], { eps: 1e-3 });
  gradcheck(
    'maxPool2d options',
    (x) => F.maxPool2d(x, 3, { stride: 2, padding: 1, dilation: [1, 2], ceilMode: true }),
    [distinct([1, 2, 7, 8], 25)],
    { eps: 1e-3 },
  );
  gradcheck('maxPool1d', (x) => F.maxPool1d(x, 3, { stride: 2, ceilMode: true }), [distinct([2, 2, 8], 26)], { eps: 1e-3 });
  gradcheck('avgPool2d', (x) => F.avgPool2d(x, 3, { stride: 2, padding: 1 }), [rnd([2, 2, 6, 5], 27)]);
  gradcheck('avgPool2d excluding padding', (x) => F.avgPool2d(x, [3, 2], { padding: 1, ceilMode: true, countIncludePad: false }), [
    rnd([1, 2, 5, 5], 28),
  ]);
  gradcheck('adaptiveAvgPool2d', (x) => F.adaptiveAvgPool2d(x, [3, 2]), [rnd([2, 2, 7, 5], 29)]);
  gradcheck('adaptiveMaxPool2d', (x) => F.adaptiveMaxPool2d(x, [2, 3]), [distinct([1, 3, 5, 7], 30)], { eps: 1e-3 });
});

test('normalization: batch (train and eval), layer, group', () => {
  const mean = rnd([3], 31);
  const variance = rnd([3], 32).abs().add(0.5);
  gradcheck('batchNorm train', (x, w, b) => F.batchNorm(x, null, null, w, b, true), [rnd([4, 3, 3, 2], 33), rnd([3], 34), rnd([3], 35)]);
  gradcheck('batchNorm train [N, C]', (x, w, b) => F.batchNorm(x, null, null, w, b, true), [rnd([5, 3], 36), rnd([3], 37), rnd([3], 38)]);
  gradcheck('batchNorm eval', (x, w, b) => F.batchNorm(x, mean, variance, w, b, false), [rnd([2, 3, 4], 39), rnd([3], 40), rnd([3], 41)]);
  gradcheck('layerNorm', (x, w, b) => F.layerNorm(x, [3, 4], w, b), [rnd([2, 3, 4], 42), rnd([3, 4], 43), rnd([3, 4], 44)]);
  gradcheck('groupNorm', (x, w, b) => F.groupNorm(x, 2, w, b), [rnd([2, 4, 3, 2], 45), rnd([4], 46), rnd([4], 47)]);
});

test('resizing, padding and CNN activations', () => {
  gradcheck('upsample nearest', (x) => F.upsample(x, { scaleFactor: 2 }), [rnd([1, 2, 3, 2], 48)]);
  gradcheck('upsample bilinear', (x) => F.upsample(x, { size: [5, 7], mode: 'bilinear' }), [rnd([1, 2, 3, 4], 49)]);
  gradcheck('upsample bilinear align', (x) => F.upsample(x, { scaleFactor: 1.5, mode: 'bilinear', alignCorners: true }), [rnd([2, 1, 4, 3], 50)]);
  gradcheck('zeroPad2d', (x) => F.zeroPad2d(x, [1, -1, 2, 0]), [rnd([2, 2, 3, 4], 51)]);
  gradcheck('prelu', (x, w) => F.prelu(x, w), [distinct([2, 3, 4], 52), rnd([3], 53)], { eps: 1e-3 });
  gradcheck('silu', (x) => F.silu(x), [rnd([12], 54)]);
  gradcheck('elu', (x) => F.elu(x, 0.7), [distinct([12], 55)], { eps: 1e-3 });
  gradcheck('softplus', (x) => F.softplus(x, 2, 3), [rnd([12], 56)]);
  gradcheck('mish', (x) => F.mish(x), [rnd([12], 57)]);
  // Inputs kept clear of the kinks (±3 for hardswish, 0 and 6 for relu6).
  gradcheck('hardswish', (x) => F.hardswish(x), [distinct([12], 58).mul(40)], { eps: 1e-3 });
  gradcheck('relu6', (x) => F.relu6(x), [distinct([12], 59).mul(70).add(0.05)], { eps: 1e-3 });
  // Inputs on both flat sides and the slope between, clear of the kinks at ±3.
  gradcheck('hardsigmoid', (x) => F.hardsigmoid(x), [distinct([12], 60).mul(80).add(0.05)], { eps: 1e-3 });
});
