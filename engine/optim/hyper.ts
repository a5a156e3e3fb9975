/**
 * Hyper-parameter fields as data: kind, default, limits, a label and a line of documentation, and the
 * keyword PyTorch spells it with. The optimizer and schedule tables are written in these terms, and
 * everything that reads a setting derives from them: the document's zod schema (`fieldSchema`), the
 * engine's defaults (`defaultsOf`), the generated PyTorch call (`torch`) and the webview form's input
 * rules (`numberRule`), so a limit is written once. No engine imports here: the webview bundles this.
 */
import { z } from 'zod';

interface FieldBase {
  /** The form's label. */
  label: string;
  /** One line for hovers and docs: what the setting does. */
  doc: string;
  /** PyTorch's keyword argument for it (`weight_decay`). */
  torch: string;
  /** The document must write it (a learning rate, StepLR's step size); otherwise its default applies. */
  required?: boolean;
}

export interface NumberLimits {
  integer?: boolean;
  min?: number;
  /** min itself is not allowed (a learning rate > 0). */
  minExclusive?: boolean;
  max?: number;
  /** max itself is not allowed (a beta < 1). */
  maxExclusive?: boolean;
}

export interface NumberFieldSpec extends FieldBase, NumberLimits {
  kind: 'number';
  default: number;
}

export interface BooleanFieldSpec extends FieldBase {
  kind: 'boolean';
  default: boolean;
}

/** Two numbers with the same limits (Adam's betas); `labels` names each in the form. */
export interface PairFieldSpec extends FieldBase, NumberLimits {
  kind: 'pair';
  default: readonly [number, number];
  labels: readonly [string, string];
}

export type FieldSpec = NumberFieldSpec | BooleanFieldSpec | PairFieldSpec;
export type FieldTable = Readonly<Record<string, FieldSpec>>;

/** The value a field holds: a number, a boolean, or a pair of numbers. */
export type ValueOf<F extends FieldSpec> = F extends PairFieldSpec ? [number, number] : F extends BooleanFieldSpec ? boolean : number;

/** Every field of a table with its value: what an engine optimizer is constructed from. */
export type ValuesOf<T extends FieldTable> = { -readonly [K in keyof T]: ValueOf<T[K]> };

/** The fields as a document writes them: required ones present, the others optional. */
export type WrittenOf<T extends FieldTable> = { [K in keyof T as T[K] extends { required: true } ? K : never]: ValueOf<T[K]> } & {
  [K in keyof T as T[K] extends { required: true } ? never : K]?: ValueOf<T[K]>;
};

/** The limits as words: "a whole number >= 1", "a number > 0 and < 1". */
export function describeLimits(l: NumberLimits): string {
  const parts: string[] = [];
  if (l.min !== undefined) parts.push(`${l.minExclusive ? '>' : '>='} ${l.min}`);
  if (l.max !== undefined) parts.push(`${l.maxExclusive ? '<' : '<='} ${l.max}`);
  return `${l.integer ? 'a whole number' : 'a number'}${parts.length > 0 ? ` ${parts.join(' and ')}` : ''}`;
}

/** The zod schema of one number within its limits, with a message that says what was expected. */
export function numberSchema(l: NumberLimits): z.ZodType<number> {
  const expected = describeLimits(l);
  return z.number({ invalid_type_error: `expected ${expected}` }).superRefine((v, ctx) => {
    if (!withinLimits(v, l)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected ${expected}, found ${v}` });
  });
}

export function withinLimits(v: number, l: NumberLimits): boolean {
  if (!Number.isFinite(v)) return false;
  if (l.integer && !Number.isInteger(v)) return false;
  if (l.min !== undefined && (l.minExclusive ? v <= l.min : v < l.min)) return false;
  if (l.max !== undefined && (l.maxExclusive ? v >= l.max : v > l.max)) return false;
  return true;
}

/** The zod schema of a field's value. */
function valueSchema<F extends FieldSpec>(f: F): z.ZodType<ValueOf<F>> {
  const schema = f.kind === 'number' ? numberSchema(f) : f.kind === 'boolean' ? z.boolean() : z.tuple([numberSchema(f), numberSchema(f)]);
  return schema as z.ZodType<ValueOf<F>>;
}

/** A table's fields as zod: required fields must be written, the others may be left to their default. */
export type ShapeOf<T extends FieldTable> = {
  [K in keyof T]: T[K] extends { required: true } ? z.ZodType<ValueOf<T[K]>> : z.ZodOptional<z.ZodType<ValueOf<T[K]>>>;
};

/** The zod shape of a table: one entry per field, under the field's name. */
export function shapeOf<T extends FieldTable>(fields: T): ShapeOf<T> {
  const shape: Record<string, z.ZodTypeAny> = {};
  for (const [k, f] of Object.entries(fields)) shape[k] = f.required ? valueSchema(f) : valueSchema(f).optional();
  return shape as ShapeOf<T>;
}

/** Every field's default (a fresh pair, so callers may keep it). */
export function defaultsOf<T extends FieldTable>(fields: T): ValuesOf<T> {
  const out: Record<string, number | boolean | [number, number]> = {};
  for (const [k, f] of Object.entries(fields)) out[k] = f.kind === 'pair' ? [f.default[0], f.default[1]] : f.default;
  return out as ValuesOf<T>;
}

/** The written fields over the defaults: every field with its value. */
export function withDefaults<T extends FieldTable>(fields: T, written: Readonly<Record<string, unknown>>): ValuesOf<T> {
  const out: Record<string, unknown> = defaultsOf(fields);
  for (const k of Object.keys(fields)) if (written[k] !== undefined) out[k] = written[k];
  return out as ValuesOf<T>;
}
