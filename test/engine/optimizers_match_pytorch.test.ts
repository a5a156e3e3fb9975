// Six steps of every optimizer on a small least-squares problem, against weights PyTorch computed
// (test/fixtures/optimizers_reference.py, torch 1.13): the update rules match step for step.
import test from 'node:test';
import assert from 'node:assert/strict';
import { nn, optim, tensor, Tensor } from '../../engine';
import { assertClose } from '../helpers/gradcheck';
import { W0, leastSquares } from '../helpers/least_squares';

const REFERENCE: Record<string, number[]> = {
  sgd: [0.21595536, 0.18213893, -0.14155592, 0.58603466, -0.15514435, 0.00866487],
  sgd_momentum: [0.48466825, 0.756257, -0.86078477, 0.76977241, 0.26141801, -0.75364083],
  sgd_nesterov_wd: [0.58143985, 0.68687314, -0.87705731, 0.59754473, 0.06232838, -0.49852648],
  sgd_dampening: [0.45044312, 0.72499734, -0.80865914, 0.78007007, 0.26034087, -0.7379033],
  adam: [0.60207927, 0.37033424, -0.28356278, 0.91712242, 0.04885773, 0.03211297],
  adam_amsgrad_wd: [0.57195759, 0.36267489, -0.2812272, 0.88811797, 0.03302247, 0.04040296],
  adamw: [0.59956259, 0.36715233, -0.28562307, 0.88075185, 0.05954452, 0.01269122],
  adagrad: [0.2952387, 0.10670137, -0.01824779, 0.66088247, -0.21151604, 0.28821778],
  rmsprop: [0.38613531, 0.12235111, -0.03592887, 0.68529397, -0.19526526, 0.27961966],
  rmsprop_centered_momentum_wd: [0.48335809, 0.22018038, -0.13068873, 0.79239881, -0.09214196, 0.18128544],
  sgd_maximize_momentum_wd: [0.08708316, -0.29490814, 0.39856517, 0.33098602, -0.60110623, 0.76735598],
  adam_maximize_eps_wd: [0.06490763, -0.25418657, 0.35440135, 0.34782466, -0.55448204, 0.6565541],
  adamw_amsgrad_betas: [0.51483375, 0.30979386, -0.24833351, 0.80070859, -0.04211925, 0.09404355],
  adagrad_eps: [0.21791328, 0.04083759, 0.04913602, 0.59229898, -0.2678186, 0.32934201],
  rmsprop_eps_momentum: [0.22788765, 0.12361888, -0.04150747, 0.63585758, -0.18930279, 0.20792019],
  adamax: [0.51443607, 0.28615433, -0.216802, 0.81934369, -0.04757546, 0.11818613],
  adamax_maximize_eps_wd_betas: [-0.07545574, -0.465523, 0.56764072, 0.14491016, -0.76490068, 0.87522256],
};

type AnyOptimizer = { zeroGrad(): void; step(): void };

function run(make: (p: nn.Parameter[]) => AnyOptimizer, steps = 6, after?: () => void): { w: nn.Parameter; opt: AnyOptimizer } {
  const w = new nn.Parameter(tensor(W0));
  const opt = make([w]);
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    leastSquares(w).backward();
    opt.step();
    after?.();
  }
  return { w, opt };
}

const makers: Record<string, (p: nn.Parameter[]) => AnyOptimizer> = {
  sgd: (p) => new optim.SGD(p, { lr: 0.1 }),
  sgd_momentum: (p) => new optim.SGD(p, { lr: 0.1, momentum: 0.9 }),
  sgd_nesterov_wd: (p) => new optim.SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 }),
  sgd_dampening: (p) => new optim.SGD(p, { lr: 0.1, momentum: 0.9, dampening: 0.1 }),
  adam: (p) => new optim.Adam(p, { lr: 0.1 }),
  adam_amsgrad_wd: (p) => new optim.Adam(p, { lr: 0.1, amsgrad: true, weightDecay: 0.01, betas: [0.8, 0.9] }),
  adamw: (p) => new optim.AdamW(p, { lr: 0.1, weightDecay: 0.1 }),
  adagrad: (p) => new optim.Adagrad(p, { lr: 0.1, lrDecay: 0.01, weightDecay: 0.01, initialAccumulatorValue: 0.1 }),
  rmsprop: (p) => new optim.RMSprop(p, { lr: 0.01 }),
  rmsprop_centered_momentum_wd: (p) => new optim.RMSprop(p, { lr: 0.01, momentum: 0.9, centered: true, weightDecay: 0.01, alpha: 0.9 }),
  // maximize flips the gradient before weight decay is added, so the decay still pulls weights to zero.
  sgd_maximize_momentum_wd: (p) => new optim.SGD(p, { lr: 0.01, momentum: 0.5, weightDecay: 0.1, maximize: true }),
  adam_maximize_eps_wd: (p) => new optim.Adam(p, { lr: 0.01, eps: 0.1, weightDecay: 0.1, maximize: true }),
  adamw_amsgrad_betas: (p) => new optim.AdamW(p, { lr: 0.1, amsgrad: true, betas: [0.5, 0.6] }),
  adagrad_eps: (p) => new optim.Adagrad(p, { lr: 0.1, eps: 0.5 }),
  rmsprop_eps_momentum: (p) => new optim.RMSprop(p, { lr: 0.01, eps: 0.1, momentum: 0.5 }),
  adamax: (p) => new optim.Adamax(p, { lr: 0.1 }),
  adamax_maximize_eps_wd_betas: (p) => new optim.Adamax(p, { lr: 0.05, eps: 0.1, weightDecay: 0.1, betas: [0.5, 0.6], maximize: true }),
};

for (const [name, make] of Object.entries(makers)) {
  test(`${name} matches PyTorch after six steps`, () => {
    const { w } = run(make);
    assertClose(w.data, REFERENCE[name], 2e-6, name);
  });

  test(`${name} resumes from its state dict exactly`, () => {
    const whole = run(make).w.data;
    const first = run(make, 3);
    const saved = (first.opt as unknown as optim.Optimizer<never>).stateDict();
    const w = new nn.Parameter(new Tensor(first.w.data.slice(), first.w.shape));
    const resumed = make([w]);
    (resumed as unknown as optim.Optimizer<never>).loadStateDict(saved);
    for (let i = 0; i < 3; i++) {
      resumed.zeroGrad();
      leastSquares(w).backward();
      resumed.step();
    }
    assert.deepEqual(w.data, whole);
  });
}

test('StepLR halves the learning rate every two steps, as in PyTorch', () => {
  let sched: optim.lrScheduler.StepLR | null = null;
  const lrs: number[] = [];
  const { w } = run(
    (p) => {
      const o = new optim.SGD(p, { lr: 0.1 });
      sched = new optim.lrScheduler.StepLR(o, { stepSize: 2, gamma: 0.5 });
      return o;
    },
    6,
    () => {
      sched!.step();
      lrs.push(sched!.getLastLr()[0]);
    },
  );
  assertClose(lrs, [0.1, 0.05, 0.05, 0.025, 0.025, 0.0125], 1e-12, 'lr');
  assertClose(w.data, [0.16084678, 0.06151027, 0.0096211, 0.54633731, -0.24377999, 0.17086999], 2e-6, 'weights');
});

test('StepLR resumes from its state dict with the optimizer: same rates, same weights', () => {
  const train = (w: nn.Parameter, opt: optim.SGD, sched: optim.lrScheduler.StepLR, steps: number) => {
    for (let i = 0; i < steps; i++) {
      opt.zeroGrad();
      leastSquares(w).backward();
      opt.step();
      sched.step();
    }
  };
  const make = (w: nn.Parameter) => {
    const opt = new optim.SGD([w], { lr: 0.1, momentum: 0.5 });
    return { opt, sched: new optim.lrScheduler.StepLR(opt, { stepSize: 2, gamma: 0.5 }) };
  };
  const whole = new nn.Parameter(tensor(W0));
  const a = make(whole);
  train(whole, a.opt, a.sched, 5);
  const half = new nn.Parameter(tensor(W0));
  const b = make(half);
  train(half, b.opt, b.sched, 3);
  const resumed = new nn.Parameter(new Tensor(half.data.slice(), half.shape));
  const c = make(resumed);
  c.opt.loadStateDict(b.opt.stateDict());
  c.sched.loadStateDict(b.sched.stateDict());
  assert.deepEqual(c.sched.getLastLr(), [0.05]);
  train(resumed, c.opt, c.sched, 2);
  assert.deepEqual(resumed.data, whole.data);
  assert.deepEqual(c.sched.getLastLr(), a.sched.getLastLr());
});

test('optimizers reject bad hyper-parameters with the name of the setting', () => {
  const p = [new nn.Parameter(tensor([1]))];
  assert.throws(() => new optim.SGD(p, { lr: -1 }), /SGD: invalid learning rate -1/);
  assert.throws(() => new optim.Adam(p, { betas: [0.9, 1.5] }), /betas must be two numbers in \[0, 1\)/);
  assert.throws(() => new optim.SGD(p, { lr: 0.1, nesterov: true }), /Nesterov momentum requires a momentum/);
  assert.throws(() => new optim.SGD([], { lr: 0.1 }), /empty parameter list/);
  assert.throws(() => new optim.Adamax(p, { betas: [1, 0.999] }), /Adamax: betas must be two numbers in \[0, 1\)/);
});
