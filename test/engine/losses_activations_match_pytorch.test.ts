// Every loss under each reduction, and every activation layer, against the numbers PyTorch gives for the
// same inputs (test/fixtures/losses_activations_reference.py, torch 1.13, printed to 7 decimals). The
// finite-difference tests prove that gradients fit the forward pass; these prove the forward pass itself.
import test from 'node:test';
import { nn, tensor, Tensor } from '../../engine';
import { assertClose } from '../helpers/gradcheck';

type Reference = Record<string, number[]>;

const LOSSES: Record<string, Reference> = {
  mse: {
    mean: [0.715],
    meanGrad: [-0.1, -0.1, 0.2333333, 0.1666667, -0.3, 0.5333334],
    sum: [4.29],
    sumGrad: [-0.6, -0.5999999, 1.4, 1.0, -1.8, 3.2],
    none: [0.09, 0.09, 0.49, 0.25, 0.8099999, 2.5600002],
  },
  l1: {
    mean: [0.7166667],
    meanGrad: [-0.1666667, -0.1666667, 0.1666667, 0.1666667, -0.1666667, 0.1666667],
    sum: [4.3000002],
    sumGrad: [-1.0, -1.0, 1.0, 1.0, -1.0, 1.0],
    none: [0.3, 0.3, 0.7, 0.5, 0.9, 1.6],
  },
  bce: {
    mean: [0.7001931],
    meanGrad: [0.091639, -0.1309725, -0.055302, -0.0304043, 0.0874965, 0.0668854],
    sum: [4.2011585],
    sumGrad: [0.549834, -0.785835, -0.3318123, -0.1824256, 0.5249791, 0.4013124],
    none: [0.7981388, 1.5410084, 0.4031861, 0.2014133, 0.7443966, 0.5130153],
  },
  bce_soft: {
    mean: [0.8285264],
    meanGrad: [0.0749723, -0.1143058, 0.0280313, 0.0195957, 0.0874965, 0.0168854],
    sum: [4.9711585],
    sumGrad: [0.449834, -0.685835, 0.1681877, 0.1175745, 0.5249791, 0.1013123],
    none: [0.7781388, 1.4110084, 0.753186, 0.6514133, 0.7443966, 0.6330153],
  },
  bce_logits: {
    mean: [0.7001931],
    meanGrad: [0.091639, -0.1309725, -0.055302, -0.0304043, 0.0874965, 0.0668854],
    sum: [4.2011585],
    sumGrad: [0.549834, -0.785835, -0.3318123, -0.1824256, 0.5249792, 0.4013124],
    none: [0.7981389, 1.5410084, 0.4031861, 0.2014133, 0.7443967, 0.5130153],
  },
  bce_logits_soft: {
    mean: [0.8285265],
    meanGrad: [0.0749723, -0.1143058, 0.0280313, 0.0195957, 0.0874965, 0.0168854],
    sum: [4.971159],
    sumGrad: [0.449834, -0.6858349, 0.1681877, 0.1175745, 0.5249792, 0.1013123],
    none: [0.7781389, 1.4110084, 0.7531861, 0.6514133, 0.7443967, 0.6330153],
  },
  cross_entropy: {
    mean: [0.4443432],
    meanGrad: [0.1741037, 0.0388478, -0.2129515, -0.1418763, 0.0883122, 0.0535641],
    sum: [0.8886865],
    sumGrad: [0.3482074, 0.0776956, -0.425903, -0.2837526, 0.1766244, 0.1071281],
    none: [0.5549569, 0.3337296],
  },
  cross_entropy_probs: {
    mean: [1.0818433],
    meanGrad: [0.1241037, -0.0611522, -0.0629515, 0.1081237, -0.0366878, -0.0714359],
    sum: [2.1636865],
    sumGrad: [0.2482074, -0.1223044, -0.125903, 0.2162474, -0.0733756, -0.1428719],
    none: [1.0049568, 1.1587296],
  },
  nll: {
    mean: [0.4443432],
    meanGrad: [0.1741037, 0.0388478, -0.2129515, -0.1418763, 0.0883122, 0.0535641],
    sum: [0.8886865],
    sumGrad: [0.3482074, 0.0776956, -0.425903, -0.2837526, 0.1766244, 0.1071281],
    none: [0.5549569, 0.3337296],
  },
  bce_logits_extreme: {
    sum: [235.0],
    sumGrad: [-1.0, 1.0, 0.7, 0.0],
  },
  cross_entropy_extreme: {
    mean: [1000.6566162],
    meanGrad: [0.5, 0.0, -0.5, 0.0, 0.3655293, -0.3655293],
  },
};

const ACTIVATIONS: Record<string, Reference> = {
  ReLU: {
    y: [0.0, 0.0, 0.0, 0.3, 2.0, 10.0, 0.0, 1.0, 0.0, 0.05],
    grad: [0.0, 0.0, 0.0, 0.8, 1.1, 0.2, 0.0, -0.6, 0.0, -0.9],
  },
  'LeakyReLU(0.2)': {
    y: [-0.6, -0.1, 0.0, 0.3, 2.0, 10.0, -2.0, 1.0, -0.2, 0.05],
    grad: [0.06, -0.02, 0.1, 0.8, 1.1, 0.2, 0.14, -0.6, 0.08, -0.9],
  },
  Tanh: {
    y: [-0.9950548, -0.4621172, 0.0, 0.2913126, 0.9640276, 1.0, -1.0, 0.7615942, -0.7615942, 0.0499584],
    grad: [0.0029598, -0.0786448, 0.5, 0.7321095, 0.0777159, 0.0, 0.0, -0.2519846, 0.1679897, -0.8977537],
  },
  Sigmoid: {
    y: [0.0474259, 0.3775407, 0.5, 0.5744425, 0.880797, 0.9999546, 4.54e-5, 0.7310586, 0.2689414, 0.5124974],
    grad: [0.013553, -0.0235004, 0.125, 0.1955667, 0.115493, 9.1e-6, 3.18e-5, -0.1179672, 0.0786448, -0.2248594],
  },
  GELU: {
    y: [-0.0040499, -0.1542688, 0.0, 0.1853734, 1.9545, 10.0, 0.0, 0.8413447, -0.1586553, 0.0259969],
    grad: [-0.0035837, -0.0132505, 0.25, 0.5858622, 1.1937551, 0.2, 0.0, -0.6499892, -0.0333262, -0.485875],
  },
  'Softmax(1)': {
    y: [0.0047894, 0.058347, 0.0961979, 0.1298536, 0.710812, 0.9998123, 0.0, 0.0001234, 1.67e-5, 4.77e-5],
    grad: [-0.0030148, -0.0600669, -0.0413148, -0.0168131, 0.1212097, 0.0001478, 0.0, -9.87e-5, 3.3e-6, -5.25e-5],
  },
  'Softmax(0)': {
    y: [2.3e-6, 0.9999251, 0.2689414, 0.785835, 0.8754467, 0.9999977, 7.48e-5, 0.7310586, 0.214165, 0.1245534],
    grad: [2e-7, -5.99e-5, 0.2162731, 0.0673193, 0.2180796, -2e-7, 5.99e-5, -0.2162731, -0.0673194, -0.2180797],
  },
  'LogSoftmax(1)': {
    y: [-5.3413472, -2.8413472, -2.3413472, -2.0413473, -0.3413473, -0.0001877, -20.0001869, -9.0001879, -11.0001879, -9.9501877],
    grad: [0.2875475, -0.2517022, 0.2498854, 0.4623805, -0.748111, 0.3999625, 0.7, -0.5999753, 0.4000033, -0.8999904],
  },
  'LogSoftmax(0)': {
    y: [-13.0000019, -7.49e-5, -1.3132616, -0.2410084, -0.133021, -2.3e-6, -9.5000744, -0.3132617, -1.5410084, -2.0830212],
    grad: [0.2999989, -0.699955, 0.5268942, -0.1430021, 0.9249107, -0.2999989, 0.6999551, -0.5268942, 0.143002, -0.9249107],
  },
};

// 7 printed decimals, float32 arithmetic on both sides.
const ATOL = 1e-6;

const X = [
  [0.2, -1.3, 0.7],
  [1.5, 0.1, -0.4],
];
const regression = tensor([
  [0.5, -1.0, 0.0],
  [1.0, 1.0, -2.0],
]);
const binary = tensor([
  [0, 1, 1],
  [1, 0, 0],
]);
const soft = tensor([
  [0.1, 0.9, 0.5],
  [0.7, 0.0, 0.3],
]);
const classes = tensor([2, 0]);
const classProbabilities = tensor([
  [0.1, 0.2, 0.7],
  [0.5, 0.25, 0.25],
]);
const raw = (v: Tensor) => v;

type LossClass = new (options: nn.LossOptions) => nn.Loss;
const CASES: Record<string, [LossClass, (x: Tensor) => Tensor, Tensor]> = {
  mse: [nn.MSELoss, raw, regression],
  l1: [nn.L1Loss, raw, regression],
  bce: [nn.BCELoss, (v) => v.sigmoid(), binary],
  bce_soft: [nn.BCELoss, (v) => v.sigmoid(), soft],
  bce_logits: [nn.BCEWithLogitsLoss, raw, binary],
  bce_logits_soft: [nn.BCEWithLogitsLoss, raw, soft],
  cross_entropy: [nn.CrossEntropyLoss, raw, classes],
  cross_entropy_probs: [nn.CrossEntropyLoss, raw, classProbabilities],
  nll: [nn.NLLLoss, (v) => v.logSoftmax(1), classes],
};

for (const [name, [LossType, prepare, target]] of Object.entries(CASES)) {
  test(`${name}: values for 'mean', 'sum' and 'none' and the gradients match PyTorch`, () => {
    const ref = LOSSES[name];
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      const x = tensor(X, undefined, { requiresGrad: true });
      const loss = new LossType({ reduction }).forward(prepare(x), target);
      assertClose(loss.data, ref[reduction], ATOL, `${name} ${reduction}`);
      if (reduction === 'none') continue;
      loss.backward();
      assertClose(x.grad!.data, ref[`${reduction}Grad`], ATOL, `${name} ${reduction} gradient`);
    }
  });
}

test('extreme logits stay finite and exact: BCEWithLogitsLoss at ±100, CrossEntropyLoss at ±1000', () => {
  const logits = tensor([[-100, 100, 50, -30]], undefined, { requiresGrad: true });
  const bce = new nn.BCEWithLogitsLoss({ reduction: 'sum' }).forward(logits, tensor([[1, 0, 0.3, 0]]));
  bce.backward();
  assertClose(bce.data, LOSSES.bce_logits_extreme.sum, 1e-4, 'bce value');
  assertClose(logits.grad!.data, LOSSES.bce_logits_extreme.sumGrad, ATOL, 'bce gradient');
  const scores = tensor(
    [
      [1000, 0, -1000],
      [-500, 500, 499],
    ],
    undefined,
    { requiresGrad: true },
  );
  const ce = new nn.CrossEntropyLoss().forward(scores, tensor([2, 2]));
  ce.backward();
  assertClose(ce.data, LOSSES.cross_entropy_extreme.mean, 1e-4, 'cross-entropy value');
  assertClose(scores.grad!.data, LOSSES.cross_entropy_extreme.meanGrad, ATOL, 'cross-entropy gradient');
});

test('activation layers: outputs and gradients match PyTorch, saturated inputs included', () => {
  const input = [
    [-3.0, -0.5, 0.0, 0.3, 2.0],
    [10.0, -10.0, 1.0, -1.0, 0.05],
  ];
  const weights = tensor([
    [0.3, -0.1, 0.5, 0.8, 1.1],
    [0.2, 0.7, -0.6, 0.4, -0.9],
  ]);
  const layers: Record<string, nn.Module> = {
    ReLU: new nn.ReLU(),
    'LeakyReLU(0.2)': new nn.LeakyReLU(0.2),
    Tanh: new nn.Tanh(),
    Sigmoid: new nn.Sigmoid(),
    GELU: new nn.GELU(),
    'Softmax(1)': new nn.Softmax(1),
    'Softmax(0)': new nn.Softmax(0),
    'LogSoftmax(1)': new nn.LogSoftmax(1),
    'LogSoftmax(0)': new nn.LogSoftmax(0),
  };
  for (const [name, layer] of Object.entries(layers)) {
    const x = tensor(input, undefined, { requiresGrad: true });
    const y = layer.forward(x);
    y.mul(weights).sum().backward();
    assertClose(y.data, ACTIVATIONS[name].y, ATOL, `${name} output`);
    assertClose(x.grad!.data, ACTIVATIONS[name].grad, ATOL, `${name} gradient`);
  }
});
