/**
 * The resolved configuration of one training run: the document's `training` section as the one grammar
 * (engine/graph/training.ts) accepted it, with defaults filled in and command-line overrides applied.
 * Nothing here parses: a section the schema refuses is refused with the schema's message and JSON path.
 * Everything downstream (data, loop, checkpoints, config.json) reads this, never the raw section, so a
 * run is reproducible from config.json alone.
 */
import { TrainingSchema, SECTION_DEFAULTS, SECTION_FIELDS, type LossName, type TrainingSpec, type WrittenData } from '../graph/training';
import { documentErrorMap } from '../graph/schema_messages';
import { formatPath } from '../graph/parse';
import { numberSchema, withDefaults, type NumberLimits } from '../optim/hyper';
import { OPTIMIZERS, type OptimizerName } from '../optim/table';
import { SCHEDULES, type ScheduleName } from '../optim/schedule_table';

export type { LossName, OptimizerName, ScheduleName };

/**
 * The data source as the document wrote it: each source's reader (engine/train/sources.ts) knows what its
 * omitted fields mean (a CSV's label: the last column), so a new source is its schema entry and its reader.
 */
export type DataSpec = WrittenData;

export interface OptimizerSpec {
  type: OptimizerName;
  lr: number;
  /** Every other field of the optimizer's table entry (momentum, betas, weightDecay, ...), defaults filled in. */
  options: Record<string, number | boolean | number[]>;
}

/** A schedule of the table with every field beside its `type` (defaults filled in), in the table's names. */
export interface ScheduleSpec {
  type: ScheduleName;
  [field: string]: string | number | boolean | number[];
}

export interface RunConfig {
  modelName: string;
  data: DataSpec;
  loss: { type: LossName; reduction: 'mean' | 'sum' };
  optimizer: OptimizerSpec;
  /** Stepped once per epoch, as PyTorch's schedulers usually are. */
  schedule: ScheduleSpec | null;
  epochs: number;
  /** null: the whole training split in one batch (the tutorials' full-batch gradient descent). */
  batchSize: number | null;
  shuffle: boolean;
  dropLast: boolean;
  /** Fraction of the samples held out for validation, chosen with the seed. */
  validationSplit: number;
  seed: number;
  /** Steps between checkpoints; 0 means "about ten per run". */
  checkpointEvery: number;
  /** Steps between metric records; 0 means "about 100 records per run". */
  logEvery: number;
}

export interface Overrides {
  epochs?: number;
  /** A CSV path replacing the data source; columns are kept from the section when it was a CSV too. */
  data?: string;
  batchSize?: number | null;
  lr?: number;
  seed?: number;
  /** Where Fashion-MNIST is when the section names no `dir` (the editor's nnblocks.fashionMnistDir setting). */
  fashionMnistDir?: string;
}

/** A problem in the training section (or an override), with the JSON path to it and what to change. */
export class ConfigError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'ConfigError';
  }
}

/** The section when a document has none: the tutorial's flower, as a section the schema accepts. */
const DEFAULT_SECTION: TrainingSpec = {
  data: { kind: 'builtin', name: 'flower' },
  loss: 'MSELoss',
  optimizer: { type: 'SGD', lr: 0.01 },
  epochs: 10,
};

/** The section as the grammar reads it, or a ConfigError naming the first problem by its JSON path. */
export function parseTrainingSection(section: unknown): TrainingSpec {
  if (section === undefined || section === null) return DEFAULT_SECTION;
  const r = TrainingSchema.safeParse(section, { errorMap: documentErrorMap });
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new ConfigError(formatPath(['training', ...issue.path]), issue.message);
}

/** Splits `lr` from the other fields: every field of the table entry, with its default where not written. */
function resolveOptimizer(o: TrainingSpec['optimizer']): OptimizerSpec {
  const { lr, ...options } = withDefaults(OPTIMIZERS[o.type].fields, o);
  return { type: o.type, lr, options };
}

function resolveSchedule(s: TrainingSpec['schedule']): ScheduleSpec | null {
  if (s === undefined || s.type === 'none') return null;
  return { ...withDefaults(SCHEDULES[s.type].fields, s), type: s.type };
}

/** An override from the command line, checked against the same limits as the section's field. */
function checked(flag: string, value: number, limits: NumberLimits): number {
  const r = numberSchema(limits).safeParse(value);
  if (!r.success) throw new ConfigError(flag, r.error.issues[0].message);
  return value;
}

/**
 * A document's training section, parsed by the grammar, with defaults filled in and `overrides` applied.
 * `section` may be absent (the default section). Errors name the JSON path from the document root
 * (`training.optimizer.lr`), or the command-line flag of a bad override (`--epochs`).
 */
export function resolveRunConfig(modelName: string, section: unknown, overrides: Overrides = {}): RunConfig {
  const t = parseTrainingSection(section);
  let data = t.data;
  if (overrides.data !== undefined) {
    const columns =
      data.kind === 'csv'
        ? { ...(data.features !== undefined && { features: data.features }), ...(data.label !== undefined && { label: data.label }) }
        : {};
    data = overrides.data.toLowerCase().endsWith('.safetensors')
      ? { kind: 'safetensors', path: overrides.data }
      : { kind: 'csv', path: overrides.data, ...columns };
  }
  if (data.kind === 'fashionMnist' && data.dir === undefined && overrides.fashionMnistDir !== undefined && overrides.fashionMnistDir.trim() !== '')
    data = { ...data, dir: overrides.fashionMnistDir };
  const optimizer = resolveOptimizer(t.optimizer);
  if (overrides.lr !== undefined) optimizer.lr = checked('--lr', overrides.lr, OPTIMIZERS[t.optimizer.type].fields.lr);
  const batchSize = overrides.batchSize !== undefined ? overrides.batchSize : (t.batchSize ?? null);
  return {
    modelName,
    data,
    loss:
      typeof t.loss === 'string'
        ? { type: t.loss, reduction: SECTION_DEFAULTS.reduction }
        : { type: t.loss.type, reduction: t.loss.reduction ?? SECTION_DEFAULTS.reduction },
    optimizer,
    schedule: resolveSchedule(t.schedule),
    epochs: overrides.epochs !== undefined ? checked('--epochs', overrides.epochs, SECTION_FIELDS.epochs) : t.epochs,
    batchSize: batchSize === null ? null : checked('--batch-size', batchSize, SECTION_FIELDS.batchSize),
    shuffle: t.shuffle ?? SECTION_DEFAULTS.shuffle,
    dropLast: t.dropLast ?? SECTION_DEFAULTS.dropLast,
    validationSplit: t.validationSplit ?? SECTION_DEFAULTS.validationSplit,
    seed: overrides.seed !== undefined ? checked('--seed', overrides.seed, SECTION_FIELDS.seed) : (t.seed ?? SECTION_DEFAULTS.seed),
    checkpointEvery: t.checkpointEvery ?? 0,
    logEvery: t.logEvery ?? 0,
  };
}
