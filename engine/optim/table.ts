/**
 * The one table of optimizers: for each, its hyper-parameters (kind, default, limits, label, doc and
 * PyTorch keyword) and the rules between them that PyTorch also enforces. The key is PyTorch's class
 * name (`torch.optim.<key>`). Everything reads this table: the engine classes take their defaults from
 * it, the document schema (engine/graph/training.ts) accepts exactly these fields within these limits,
 * the run set-up builds the class of the same name (engine/optim/index.ts), the generated PyTorch script
 * spells the fields with their keywords, and the training form shows one input per field.
 * Adding an optimizer: CONTRIBUTING.md, "Adding an optimizer". Data only: the webview bundles it.
 */
import { defaultsOf, type FieldTable, type NumberFieldSpec, type ValuesOf } from './hyper';

export interface OptimizerEntry {
  doc: string;
  fields: FieldTable;
  /** A rule between fields, on every field's value (defaults filled in): the field at fault and what to change. */
  check?: (o: Readonly<Record<string, unknown>>) => { field: string; message: string } | null;
}

const lr = (value: number) =>
  ({
    kind: 'number',
    label: 'Learning rate',
    doc: 'Step size of each update.',
    torch: 'lr',
    required: true,
    default: value,
    min: 0,
    minExclusive: true,
  }) as const;
const weightDecay = (value: number): NumberFieldSpec => ({
  kind: 'number',
  label: 'Weight decay',
  doc: 'L2 penalty added to the gradient.',
  torch: 'weight_decay',
  default: value,
  min: 0,
});
const eps = (value: number): NumberFieldSpec => ({
  kind: 'number',
  label: 'Epsilon',
  doc: 'Added to the denominator for numerical stability.',
  torch: 'eps',
  default: value,
  min: 0,
  minExclusive: true,
});
const maximize = {
  kind: 'boolean',
  label: 'Maximize',
  doc: 'Ascend the objective instead of descending it.',
  torch: 'maximize',
  default: false,
} as const;
const betas = {
  kind: 'pair',
  label: 'Betas',
  labels: ['Beta 1', 'Beta 2'],
  doc: 'Decay rates of the running averages of the gradient and its square.',
  torch: 'betas',
  default: [0.9, 0.999],
  min: 0,
  max: 1,
  maxExclusive: true,
} as const;
const adamFields = (decay: number) =>
  ({
    lr: lr(1e-3),
    betas,
    eps: eps(1e-8),
    weightDecay: weightDecay(decay),
    amsgrad: {
      kind: 'boolean',
      label: 'AMSGrad',
      doc: 'Use the maximum of past squared-gradient averages (AMSGrad).',
      torch: 'amsgrad',
      default: false,
    },
    maximize,
  }) as const;

export const OPTIMIZERS = {
  SGD: {
    doc: 'Stochastic gradient descent, with optional momentum, dampening, Nesterov momentum and weight decay.',
    fields: {
      lr: lr(0.01),
      momentum: { kind: 'number', label: 'Momentum', doc: 'Momentum factor (0: plain gradient descent).', torch: 'momentum', default: 0, min: 0 },
      dampening: { kind: 'number', label: 'Dampening', doc: 'Dampening for momentum.', torch: 'dampening', default: 0, min: 0 },
      weightDecay: weightDecay(0),
      nesterov: {
        kind: 'boolean',
        label: 'Nesterov momentum',
        doc: 'Nesterov momentum (needs a momentum and no dampening).',
        torch: 'nesterov',
        default: false,
      },
      maximize,
    },
    check: (o) =>
      o.nesterov === true && !((o.momentum as number) > 0 && o.dampening === 0)
        ? { field: 'nesterov', message: 'Nesterov momentum needs a momentum above 0 and no dampening: set momentum (e.g. 0.9) or turn Nesterov off' }
        : null,
  },
  Adam: { doc: 'Adam: steps scaled by bias-corrected running averages of the gradient and its square.', fields: adamFields(0) },
  AdamW: { doc: 'Adam with decoupled weight decay (the weights shrink directly, not through the gradient).', fields: adamFields(1e-2) },
  Adamax: {
    doc: 'Adamax: Adam with the infinity norm of past gradients in place of their second moment.',
    fields: { lr: lr(2e-3), betas, eps: eps(1e-8), weightDecay: weightDecay(0), maximize },
  },
  Adagrad: {
    doc: 'Adagrad: per-coordinate steps shrink with the running sum of squared gradients.',
    fields: {
      lr: lr(0.01),
      lrDecay: { kind: 'number', label: 'LR decay', doc: 'Learning-rate decay per step.', torch: 'lr_decay', default: 0, min: 0 },
      weightDecay: weightDecay(0),
      initialAccumulatorValue: {
        kind: 'number',
        label: 'Initial accumulator',
        doc: 'Starting value of the sum of squared gradients.',
        torch: 'initial_accumulator_value',
        default: 0,
        min: 0,
      },
      eps: eps(1e-10),
    },
  },
  RMSprop: {
    doc: 'RMSprop: steps scaled by a running average of squared gradients; optionally centered and with momentum.',
    fields: {
      lr: lr(0.01),
      alpha: {
        kind: 'number',
        label: 'Alpha (smoothing)',
        doc: 'Smoothing constant of the squared-gradient average.',
        torch: 'alpha',
        default: 0.99,
        min: 0,
      },
      eps: eps(1e-8),
      weightDecay: weightDecay(0),
      momentum: { kind: 'number', label: 'Momentum', doc: 'Momentum factor.', torch: 'momentum', default: 0, min: 0 },
      centered: {
        kind: 'boolean',
        label: 'Centered',
        doc: 'Normalise by the estimated variance of the gradient.',
        torch: 'centered',
        default: false,
      },
    },
  },
} as const satisfies Record<string, OptimizerEntry>;

export type OptimizerName = keyof typeof OPTIMIZERS;
export const OPTIMIZER_NAMES = Object.keys(OPTIMIZERS) as OptimizerName[];

/** The fields of optimizer `name`, with their values: what its engine class is constructed from. */
export type OptimizerOptions<N extends OptimizerName> = ValuesOf<(typeof OPTIMIZERS)[N]['fields']>;

/** Every hyper-parameter of optimizer `name` at its default. */
export const optimizerDefaults = <N extends OptimizerName>(name: N): OptimizerOptions<N> => defaultsOf(OPTIMIZERS[name].fields);

/** The table entry of `name`, seen through the common entry type (for code that handles every optimizer alike). */
export const optimizerEntry = (name: OptimizerName): OptimizerEntry => OPTIMIZERS[name];
