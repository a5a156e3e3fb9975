/**
 * The form's rules for fields of the data grammar (engine/graph/training.ts DATA_SOURCES, whose image
 * sources are engine/data/image_specs.ts): a number's limits read from its zod schema, and any other
 * value checked by its schema, with zod's message as the reason. The form then refuses exactly what the
 * document refuses, and a limit changed in the grammar changes here with it. No React here.
 */
import { z } from 'zod';
import { DATA_SOURCES } from '../../engine/graph/training';
import type { NumberRule, Parsed } from './number_rule';

const unwrap = (s: z.ZodTypeAny): z.ZodTypeAny => (s instanceof z.ZodOptional ? unwrap(s.unwrap()) : s);

/** A zod number's limits (int, min, max, exclusive or not) as the form's NumberRule; optional when the schema is. */
export function ruleOfZod(schema: z.ZodTypeAny): NumberRule {
  const n = unwrap(schema);
  if (!(n instanceof z.ZodNumber)) throw new Error('ruleOfZod: not a number schema');
  const rule: NumberRule = { optional: schema.isOptional() };
  for (const c of n._def.checks) {
    if (c.kind === 'int') rule.integer = true;
    if (c.kind === 'min') Object.assign(rule, { min: c.value, minExclusive: !c.inclusive });
    if (c.kind === 'max') Object.assign(rule, { max: c.value, maxExclusive: !c.inclusive });
  }
  return rule;
}

/** `value` checked by `schema`: the value, or the schema's first message. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown): Parsed<T> {
  const r = schema.safeParse(value);
  return r.success ? { ok: true, value: r.data } : { ok: false, reason: r.error.issues[0]?.message ?? 'not accepted' };
}

/** The transforms' grammar, as the image sources write it (one schema shared by all of them). */
export const TRANSFORM_SCHEMA = DATA_SOURCES.fashionMnist.schema.shape.transforms.unwrap().element;
/** Every transform kind, in the grammar's order. */
export const TRANSFORM_KINDS: string[] = TRANSFORM_SCHEMA.options.map((o) => String(o.shape.kind.value));
/** The schema of one transform kind's object. */
export const transformSchema = <K extends (typeof TRANSFORM_SCHEMA.options)[number]['shape']['kind']['value']>(kind: K) =>
  TRANSFORM_SCHEMA.options.find(
    (o): o is Extract<(typeof TRANSFORM_SCHEMA.options)[number], { shape: { kind: z.ZodLiteral<K> } }> => o.shape.kind.value === kind,
  )!;
