/**
 * The grammar of a document's `training` section: the one parser of it (engine/train/config.ts only
 * fills defaults in what this accepted). Its parts are tables that the run set-up, the generated PyTorch
 * script and the training form read as well:
 *   - optimizers and schedules: engine/optim/table.ts and schedule_table.ts (fields, defaults, limits);
 *   - data sources (`DATA_SOURCES`): one strict object per `kind`; a new source is one entry here plus
 *     its reader in engine/train/sources.ts (CONTRIBUTING.md, "Adding a data source");
 *   - losses (`LOSSES`): what each expects of the labels and of the model's output;
 *   - the section's own numbers (`SECTION_FIELDS`): epochs, batch size, split, seed, intervals.
 * Unknown fields are refused with the field's name and the fields that object takes, so a spelling
 * from elsewhere (`batch_size`, `learning_rate`) is named rather than ignored.
 */
import { z } from 'zod';
import { numberSchema, shapeOf, withDefaults, type FieldTable, type NumberLimits, type ValueOf } from '../optim/hyper';
import { OPTIMIZERS, OPTIMIZER_NAMES, optimizerEntry, type OptimizerName } from '../optim/table';
import { SCHEDULES, SCHEDULE_NAMES, type ScheduleName } from '../optim/schedule_table';
import { quoted, QUOTE_MAX } from '../quote';
import { FashionMnistSpecSchema, IdxSpecSchema, ImageFolderSpecSchema } from '../data/image_specs';

/** Letters and digits only, lower case: `batch_size`, `batchSize` and `BatchSize` read the same. */
const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
/** `short` drops letters of `long` but keeps their order and the first one (`valSplit` of `validationSplit`). */
const abbreviates = (short: string, long: string) => {
  if (short.length === 0 || short[0] !== long[0]) return false;
  let i = 0;
  for (const c of long) if (c === short[i]) i++;
  return i === short.length;
};

/** Edits (insert, delete, replace one letter) from a to b: `lable` is two from `label`. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

/** The known field an unknown one most likely meant, if any. */
export function closestField(unknown: string, known: readonly string[]): string | undefined {
  const u = squash(unknown);
  return (
    known.find((k) => squash(k) === u) ??
    known.find((k) => u.length >= 4 && editDistance(u, squash(k)) <= 2) ??
    known.find((k) => abbreviates(u, squash(k)) || abbreviates(squash(k), u))
  );
}

/** The message for a `type` or `kind` that names nothing in the table. */
const unknownTag =
  (what: string, names: readonly string[]): z.ZodErrorMap =>
  (issue, ctx) =>
    issue.code === z.ZodIssueCode.invalid_union_discriminator
      ? { message: `expected one of ${names.join(', ')} (the ${what} NN Blocks knows)` }
      : { message: ctx.defaultError };

/** A strict object whose unknown fields are named, with the closest known field and the full list. */
function closed<S extends z.ZodRawShape>(shape: S): z.ZodObject<S, 'strict'> {
  const known = Object.keys(shape);
  const errorMap: z.ZodErrorMap = (issue, ctx) => {
    if (issue.code !== z.ZodIssueCode.unrecognized_keys) return { message: ctx.defaultError };
    const named = issue.keys.slice(0, 10).map((k) => {
      // A name of absurd length is no typo: no suggestion (an edit distance over it takes seconds).
      const near = k.length > 64 ? undefined : closestField(k, known);
      return `${k.length > QUOTE_MAX ? quoted(k) : `'${k}'`}${near === undefined ? '' : ` (did you mean '${near}'?)`}`;
    });
    if (issue.keys.length > 10) named.push(`and ${issue.keys.length - 10} more`);
    return { message: `unknown field${named.length > 1 ? 's' : ''} ${named.join(', ')}; the fields here are ${known.join(', ')}` };
  };
  return z.object(shape, { errorMap }).strict();
}

// ---- data sources -------------------------------------------------------------------------------

/** The built-in sets the form offers: 'flower' is the eight petals r = 4·sin(4t) of the "spiral" tutorial. */
export const BUILTIN_NAMES = ['flower', 'moons', 'quadratic'] as const;
export type BuiltinName = (typeof BUILTIN_NAMES)[number];
/** Older names still read (documents in the wild say "spiral"); new documents get the name after the colon. */
export const BUILTIN_ALIASES = { spiral: 'flower' } as const satisfies Record<string, BuiltinName>;
const ACCEPTED_BUILTINS = [...BUILTIN_NAMES, ...(Object.keys(BUILTIN_ALIASES) as (keyof typeof BUILTIN_ALIASES)[])] as const;
/** The set a written name means: itself, or what its old name now is. */
export function builtinName(name: BuiltinName | keyof typeof BUILTIN_ALIASES): BuiltinName {
  return name in BUILTIN_ALIASES ? BUILTIN_ALIASES[name as keyof typeof BUILTIN_ALIASES] : (name as BuiltinName);
}

/** Every data source a section can name, by `kind`: the schema of its fields and the form's label. */
export const DATA_SOURCES = {
  builtin: {
    label: 'Built-in set',
    schema: closed({ kind: z.literal('builtin'), name: z.enum(ACCEPTED_BUILTINS), options: z.record(z.number()).optional() }),
  },
  csv: {
    label: 'CSV file',
    schema: closed({
      kind: z.literal('csv'),
      path: z.string().min(1, 'expected the path of the data file, relative to the model file'),
      /** Omitted: every column but the label. */
      features: z.array(z.string()).optional(),
      /** Omitted: the last column. */
      label: z.string().min(1).optional(),
    }),
  },
  safetensors: {
    label: 'safetensors (x, y)',
    schema: closed({
      kind: z.literal('safetensors'),
      path: z.string().min(1, 'expected the path of the data file, relative to the model file'),
      x: z.string().min(1).optional(),
      y: z.string().min(1).optional(),
    }),
  },
  // Image sources (engine/data/image_specs.ts): bytes read once, batches assembled and transformed per step.
  idx: { label: 'IDX images (MNIST format)', schema: IdxSpecSchema },
  fashionMnist: { label: 'Fashion-MNIST', schema: FashionMnistSpecSchema },
  imageFolder: { label: 'Image folder', schema: ImageFolderSpecSchema },
} as const;

export type DataKind = keyof typeof DATA_SOURCES;
export const DATA_KINDS = Object.keys(DATA_SOURCES) as DataKind[];

export const DataSpecSchema = z.discriminatedUnion(
  'kind',
  [
    DATA_SOURCES.builtin.schema,
    DATA_SOURCES.csv.schema,
    DATA_SOURCES.safetensors.schema,
    DATA_SOURCES.idx.schema,
    DATA_SOURCES.fashionMnist.schema,
    DATA_SOURCES.imageFolder.schema,
  ],
  { errorMap: unknownTag('data sources', DATA_KINDS) },
);
/** A data source as the document writes it. */
export type WrittenData = z.infer<typeof DataSpecSchema>;

// ---- losses -------------------------------------------------------------------------------------

/**
 * Every loss, by its torch.nn name: what its labels are (`values` to regress, `binary` 0/1, `classes`
 * indices) and whether it takes raw scores (logits), which decides how predictions are read.
 */
export const LOSSES = {
  MSELoss: { doc: 'Mean squared error, for regression.', targets: 'values', takesLogits: true },
  L1Loss: { doc: 'Mean absolute error, for regression.', targets: 'values', takesLogits: true },
  BCELoss: { doc: 'Binary cross-entropy of probabilities (the model ends in a Sigmoid).', targets: 'binary', takesLogits: false },
  BCEWithLogitsLoss: { doc: 'Binary cross-entropy of one raw score per sample.', targets: 'binary', takesLogits: true },
  CrossEntropyLoss: { doc: 'Cross-entropy of one raw score per class; labels are class indices.', targets: 'classes', takesLogits: true },
  NLLLoss: {
    doc: 'Negative log-likelihood of log-probabilities (the model ends in a LogSoftmax); labels are class indices.',
    targets: 'classes',
    takesLogits: true,
  },
} as const satisfies Record<string, { doc: string; targets: 'values' | 'binary' | 'classes'; takesLogits: boolean }>;

export type LossName = keyof typeof LOSSES;
export const LOSS_NAMES = Object.keys(LOSSES) as LossName[];
const LossNameSchema = z.enum(LOSS_NAMES as [LossName, ...LossName[]]);
export const REDUCTIONS = ['mean', 'sum'] as const;

// ---- optimizers and schedules, from their tables -----------------------------------------------

/** The fields as a document writes them: required ones present, the others optional. */
type WrittenOf<T extends FieldTable> = { [K in keyof T as T[K] extends { required: true } ? K : never]: ValueOf<T[K]> } & {
  [K in keyof T as T[K] extends { required: true } ? never : K]?: ValueOf<T[K]>;
};

/** An optimizer as the document writes it: its `type` and the fields of that optimizer it sets. */
export type WrittenOptimizer = { [N in OptimizerName]: { type: N } & WrittenOf<(typeof OPTIMIZERS)[N]['fields']> }[OptimizerName];
export type WrittenSchedule = { type: 'none' } | { [N in ScheduleName]: { type: N } & WrittenOf<(typeof SCHEDULES)[N]['fields']> }[ScheduleName];

/**
 * A schema built from a table, typed as what the table says it accepts (zod cannot infer through the
 * table's loop; WrittenOptimizer and WrittenSchedule spell the same table at the type level).
 */
const asWritten = <T>(schema: z.ZodTypeAny): z.ZodType<T, z.ZodTypeDef, unknown> => schema;

type TaggedObject = z.ZodObject<{ type: z.ZodLiteral<string> } & z.ZodRawShape, 'strict'>;
/** zod's discriminated union wants a non-empty tuple; the tables are never empty. */
const tagged = (members: TaggedObject[]): [TaggedObject, TaggedObject, ...TaggedObject[]] => {
  const [a, b, ...rest] = members;
  return [a, b, ...rest];
};

const OptimizerSchema = asWritten<WrittenOptimizer>(
  z
    .discriminatedUnion('type', tagged(OPTIMIZER_NAMES.map((n) => closed({ type: z.literal(n), ...shapeOf(OPTIMIZERS[n].fields) }))), {
      errorMap: unknownTag('optimizers', OPTIMIZER_NAMES),
    })
    .superRefine((o, ctx) => {
      const entry = optimizerEntry(o.type as OptimizerName);
      const fault = entry.check?.(withDefaults(entry.fields, o));
      if (fault) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [fault.field], message: fault.message });
    }),
);

const ScheduleSchema = asWritten<WrittenSchedule>(
  z.discriminatedUnion(
    'type',
    tagged([closed({ type: z.literal('none') }), ...SCHEDULE_NAMES.map((n) => closed({ type: z.literal(n), ...shapeOf(SCHEDULES[n].fields) }))]),
    {
      errorMap: unknownTag('schedules', ['none', ...SCHEDULE_NAMES]),
    },
  ),
);

// ---- the section --------------------------------------------------------------------------------

/** A number of the section itself, with its limits (the form's inputs read them too). */
export interface SectionNumber extends NumberLimits {
  label: string;
  doc: string;
  required?: boolean;
  /** What an empty input means (the form's placeholder). */
  absent?: string;
}

export const SECTION_FIELDS = {
  epochs: { label: 'Epochs', doc: 'Passes over the training split.', required: true, integer: true, min: 1 },
  batchSize: { label: 'Batch size', doc: 'Samples per step; omitted: the whole training split in one batch.', integer: true, min: 1, absent: 'full' },
  validationSplit: {
    label: 'Validation split',
    doc: 'Fraction of the samples held out for validation, chosen with the seed.',
    min: 0,
    max: 0.9,
    absent: '0',
  },
  seed: { label: 'Seed', doc: 'Seeds the initial weights, the split and the shuffling.', integer: true, absent: '0' },
  checkpointEvery: {
    label: 'Checkpoint every (steps)',
    doc: 'Steps between checkpoints; omitted: about ten per run.',
    integer: true,
    min: 1,
    absent: 'auto (10 per run)',
  },
  logEvery: {
    label: 'Log every (steps)',
    doc: 'Steps between metric records; omitted: about 100 per run.',
    integer: true,
    min: 1,
    absent: 'auto (100 per run)',
  },
} as const satisfies Record<string, SectionNumber>;

/** What an omitted optional setting means, for every reader of a section (the run, the generated script). */
export const SECTION_DEFAULTS = { reduction: 'mean', shuffle: true, dropLast: false, validationSplit: 0, seed: 0 } as const;

export const TrainingSchema = closed({
  data: DataSpecSchema,
  /** A loss name, or { type, reduction } (reduction 'mean' by default). */
  loss: z.union([LossNameSchema, closed({ type: LossNameSchema, reduction: z.enum(REDUCTIONS).optional() })]),
  optimizer: OptimizerSchema,
  schedule: ScheduleSchema.optional(),
  epochs: numberSchema(SECTION_FIELDS.epochs),
  batchSize: numberSchema(SECTION_FIELDS.batchSize).optional(),
  shuffle: z.boolean().optional(),
  dropLast: z.boolean().optional(),
  validationSplit: numberSchema(SECTION_FIELDS.validationSplit).optional(),
  seed: numberSchema(SECTION_FIELDS.seed).optional(),
  checkpointEvery: numberSchema(SECTION_FIELDS.checkpointEvery).optional(),
  logEvery: numberSchema(SECTION_FIELDS.logEvery).optional(),
});
export type TrainingSpec = z.infer<typeof TrainingSchema>;
