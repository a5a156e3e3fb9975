/**
 * The resolved configuration of one training run: the document's `training` section, normalised to one
 * canonical shape, with defaults filled in and command-line overrides applied. Everything downstream
 * (data, loop, checkpoints, config.json) reads this, never the raw section, so a run is reproducible from
 * config.json alone.
 */

export type BuiltinName = 'spiral' | 'moons' | 'quadratic';
export const BUILTIN_NAMES: readonly BuiltinName[] = ['spiral', 'moons', 'quadratic'];

export type DataSpec =
  | { kind: 'builtin'; name: BuiltinName; options: Record<string, number> }
  /** features null: every column but the label; label null: the last column (engine/data's readCsv rules). */
  | { kind: 'csv'; path: string; features: string[] | null; label: string | null }
  | { kind: 'safetensors'; path: string; x: string; y: string };

export type LossName = 'MSELoss' | 'L1Loss' | 'BCELoss' | 'BCEWithLogitsLoss' | 'CrossEntropyLoss' | 'NLLLoss';
export const LOSS_NAMES: readonly LossName[] = ['MSELoss', 'L1Loss', 'BCELoss', 'BCEWithLogitsLoss', 'CrossEntropyLoss', 'NLLLoss'];

export type OptimizerName = 'SGD' | 'Adam' | 'AdamW' | 'Adagrad' | 'RMSprop';
export const OPTIMIZER_NAMES: readonly OptimizerName[] = ['SGD', 'Adam', 'AdamW', 'Adagrad', 'RMSprop'];

export interface OptimizerSpec {
  type: OptimizerName;
  lr: number;
  /** The other hyper-parameters in the engine's option names (momentum, betas, weightDecay, ...). */
  options: Record<string, number | boolean | number[]>;
}

export type ScheduleSpec =
  | { type: 'StepLR'; stepSize: number; gamma: number }
  | { type: 'ExponentialLR'; gamma: number }
  | { type: 'CosineAnnealingLR'; tMax: number; etaMin: number };

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
}

/** A problem in the training section, with the JSON path to it and what to change. */
export class ConfigError extends Error {
  constructor(readonly path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Raw = Record<string, unknown>;

const isObj = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

function num(v: unknown, path: string, fallback: number, check: (n: number) => boolean, what: string): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || !check(v)) {
    throw new ConfigError(path, `expected ${what}, found ${JSON.stringify(v)}`);
  }
  return v;
}

function oneOf<T extends string>(v: unknown, path: string, allowed: readonly T[]): T {
  if (typeof v === 'string') {
    const hit = allowed.find((a) => a.toLowerCase() === v.toLowerCase());
    if (hit !== undefined) return hit;
  }
  throw new ConfigError(path, `expected one of ${allowed.join(', ')}, found ${JSON.stringify(v)}`);
}

function strList(v: unknown, path: string): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((s) => typeof s === 'string') && v.length > 0) return v as string[];
  throw new ConfigError(path, `expected a column name or a list of column names, found ${JSON.stringify(v)}`);
}

/** The data source; accepts `kind`, `source` or `type` as the discriminator so hand-written files work. */
function parseData(raw: unknown, path: string): DataSpec {
  if (raw === undefined) return { kind: 'builtin', name: 'spiral', options: {} };
  if (typeof raw === 'string') {
    const lower = raw.toLowerCase();
    if ((BUILTIN_NAMES as readonly string[]).includes(lower)) return { kind: 'builtin', name: lower as BuiltinName, options: {} };
    if (lower.endsWith('.csv')) return { kind: 'csv', path: raw, features: null, label: null };
    if (lower.endsWith('.safetensors')) return { kind: 'safetensors', path: raw, x: 'x', y: 'y' };
    throw new ConfigError(path, `'${raw}' is neither a built-in set (${BUILTIN_NAMES.join(', ')}) nor a .csv or .safetensors file`);
  }
  if (!isObj(raw)) throw new ConfigError(path, 'expected an object describing the data source');
  let obj: Raw = raw;
  // Short forms: { builtin: 'spiral' }, { csv: 'file.csv', label }, { safetensors: 'file.safetensors' }.
  if (typeof obj.builtin === 'string') obj = { ...obj, kind: 'builtin', name: obj.builtin };
  else if (typeof obj.csv === 'string') obj = { ...obj, kind: 'csv', path: obj.csv };
  else if (typeof obj.safetensors === 'string') obj = { ...obj, kind: 'safetensors', path: obj.safetensors };
  const kind = String(obj.kind ?? obj.source ?? obj.type ?? (obj.path !== undefined ? 'csv' : 'builtin')).toLowerCase();
  if (kind === 'builtin') {
    const name = oneOf(obj.name ?? obj.dataset ?? 'spiral', `${path}.name`, BUILTIN_NAMES);
    const options: Record<string, number> = {};
    const src = isObj(obj.options) ? obj.options : {};
    for (const [k, v] of Object.entries(src)) options[k] = num(v, `${path}.options.${k}`, 0, () => true, 'a number');
    return { kind: 'builtin', name, options };
  }
  if (typeof obj.path !== 'string' || obj.path === '') throw new ConfigError(`${path}.path`, 'expected the path of the data file, relative to the model file');
  if (kind === 'csv') {
    const features = obj.features === undefined || obj.features === null ? null : strList(obj.features, `${path}.features`);
    const rawLabel = obj.label ?? obj.target;
    if (rawLabel !== undefined && rawLabel !== null && (typeof rawLabel !== 'string' || rawLabel === '')) {
      throw new ConfigError(`${path}.label`, `expected the name of one label column, found ${JSON.stringify(rawLabel)}`);
    }
    return { kind: 'csv', path: obj.path, features, label: typeof rawLabel === 'string' ? rawLabel : null };
  }
  if (kind === 'safetensors') {
    return { kind: 'safetensors', path: obj.path, x: typeof obj.x === 'string' ? obj.x : 'x', y: typeof obj.y === 'string' ? obj.y : 'y' };
  }
  throw new ConfigError(`${path}.kind`, `expected builtin, csv or safetensors, found ${JSON.stringify(kind)}`);
}

function parseLoss(raw: unknown, path: string): RunConfig['loss'] {
  if (raw === undefined) return { type: 'MSELoss', reduction: 'mean' };
  if (typeof raw === 'string') return { type: oneOf(raw, path, LOSS_NAMES), reduction: 'mean' };
  if (!isObj(raw)) throw new ConfigError(path, 'expected a loss name or { type, reduction }');
  const type = oneOf(raw.type ?? raw.name, `${path}.type`, LOSS_NAMES);
  const reduction = raw.reduction === undefined ? 'mean' : oneOf(raw.reduction, `${path}.reduction`, ['mean', 'sum'] as const);
  return { type, reduction };
}

/** PyTorch's snake_case names are accepted too, since users copy them from tutorials. */
const OPTION_ALIASES: Record<string, string> = { weight_decay: 'weightDecay', lr_decay: 'lrDecay', initial_accumulator_value: 'initialAccumulatorValue' };

function parseOptimizer(raw: unknown, path: string, lrOverride: number | undefined): OptimizerSpec {
  if (raw === undefined) raw = { type: 'SGD', lr: 0.01 };
  if (typeof raw === 'string') raw = { type: raw };
  if (!isObj(raw)) throw new ConfigError(path, 'expected { type, lr, ... }');
  const type = oneOf(raw.type ?? raw.name, `${path}.type`, OPTIMIZER_NAMES);
  const nested = isObj(raw.options) ? raw.options : {};
  const all: Raw = { ...nested, ...raw };
  delete all.type;
  delete all.name;
  delete all.options;
  const defaultLr = type === 'SGD' ? 0.01 : type === 'Adagrad' ? 0.01 : type === 'RMSprop' ? 0.01 : 1e-3;
  const lr = lrOverride ?? num(all.lr, `${path}.lr`, defaultLr, (n) => n > 0, 'a learning rate > 0');
  delete all.lr;
  const options: OptimizerSpec['options'] = {};
  for (const [k0, v] of Object.entries(all)) {
    const k = OPTION_ALIASES[k0] ?? k0;
    if (typeof v === 'number' || typeof v === 'boolean' || (Array.isArray(v) && v.every((x) => typeof x === 'number'))) options[k] = v as number | boolean | number[];
    else throw new ConfigError(`${path}.${k0}`, `expected a number, boolean or list of numbers, found ${JSON.stringify(v)}`);
  }
  return { type, lr, options };
}

function parseSchedule(raw: unknown, path: string): ScheduleSpec | null {
  if (raw === undefined || raw === null || raw === 'none' || raw === 'constant') return null;
  if (!isObj(raw)) throw new ConfigError(path, 'expected { type: StepLR | ExponentialLR | CosineAnnealingLR, ... } or null');
  const type = oneOf(raw.type ?? raw.name, `${path}.type`, ['none', 'StepLR', 'ExponentialLR', 'CosineAnnealingLR'] as const);
  if (type === 'none') return null;
  const gamma = (d: number) => num(raw.gamma, `${path}.gamma`, d, (n) => n > 0, 'a factor > 0');
  if (type === 'StepLR') {
    return { type, stepSize: num(raw.stepSize ?? raw.step_size, `${path}.stepSize`, 1, (n) => Number.isInteger(n) && n > 0, 'a whole number of epochs > 0'), gamma: gamma(0.1) };
  }
  if (type === 'ExponentialLR') return { type, gamma: gamma(0.95) };
  return {
    type,
    tMax: num(raw.tMax ?? raw.T_max, `${path}.tMax`, 1, (n) => n > 0, 'a number of epochs > 0'),
    etaMin: num(raw.etaMin ?? raw.eta_min, `${path}.etaMin`, 0, (n) => n >= 0, 'a learning rate >= 0'),
  };
}

function parseBatchSize(raw: unknown, path: string): number | null {
  if (raw === undefined || raw === null || raw === 'full' || raw === 0) return null;
  return num(raw, path, 0, (n) => Number.isInteger(n) && n > 0, "a whole number > 0, or 'full' for one batch of everything");
}

/**
 * Normalises a document's training section. `section` may be absent (all defaults). Paths in errors are
 * JSON paths from the document root (`training.optimizer.lr`).
 */
export function resolveRunConfig(modelName: string, section: unknown, overrides: Overrides = {}): RunConfig {
  const root = 'training';
  const raw: Raw = section === undefined || section === null ? {} : isObj(section) ? section : (() => { throw new ConfigError(root, 'expected an object'); })();
  let data = parseData(raw.data ?? raw.dataset, `${root}.data`);
  if (overrides.data !== undefined) {
    data = overrides.data.toLowerCase().endsWith('.safetensors')
      ? { kind: 'safetensors', path: overrides.data, x: 'x', y: 'y' }
      : { kind: 'csv', path: overrides.data, features: data.kind === 'csv' ? data.features : null, label: data.kind === 'csv' ? data.label : null };
  }
  const epochs = overrides.epochs ?? num(raw.epochs, `${root}.epochs`, 10, (n) => Number.isInteger(n) && n > 0, 'a whole number of epochs > 0');
  if (!(Number.isInteger(epochs) && epochs > 0)) throw new ConfigError('--epochs', `expected a whole number > 0, found ${epochs}`);
  const validationSplit = num(raw.validationSplit ?? raw.valSplit ?? raw.validation_split, `${root}.validationSplit`, 0, (n) => n >= 0 && n < 1, 'a fraction in [0, 1)');
  return {
    modelName,
    data,
    loss: parseLoss(raw.loss, `${root}.loss`),
    optimizer: parseOptimizer(raw.optimizer, `${root}.optimizer`, overrides.lr),
    schedule: parseSchedule(raw.schedule ?? raw.lrSchedule ?? raw.scheduler, `${root}.schedule`),
    epochs,
    batchSize: overrides.batchSize !== undefined ? overrides.batchSize : parseBatchSize(raw.batchSize ?? raw.batch_size, `${root}.batchSize`),
    shuffle: raw.shuffle === undefined ? true : raw.shuffle === true,
    dropLast: raw.dropLast === true,
    validationSplit,
    seed: overrides.seed ?? num(raw.seed, `${root}.seed`, 0, (n) => Number.isInteger(n), 'a whole number'),
    checkpointEvery: num(raw.checkpointEvery ?? raw.checkpointInterval, `${root}.checkpointEvery`, 0, (n) => Number.isInteger(n) && n >= 0, 'a whole number of steps (0: automatic)'),
    logEvery: num(raw.logEvery ?? raw.logInterval, `${root}.logEvery`, 0, (n) => Number.isInteger(n) && n >= 0, 'a whole number of steps (0: automatic)'),
  };
}
