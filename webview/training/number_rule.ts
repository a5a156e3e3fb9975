/**
 * What a number input of the training form accepts: the limits of its field as the tables write them
 * (engine/optim/hyper.ts), so the form refuses exactly what the document schema refuses, with the reason
 * in a few words. No React here: the node tests check it against the schema.
 */
import { withinLimits, type NumberLimits } from '../../engine/optim/hyper';

/** A value for the document, or why the text is not one. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * The limits of a field, as the optimizer and schedule tables and the grammar's section fields write
 * them (engine/optim/hyper.ts): the form refuses exactly what the document schema refuses.
 */
export interface NumberRule extends NumberLimits {
  /** Empty text removes the field (its default applies); otherwise it is required. */
  optional?: boolean;
}

/** A table field's rule: its limits, and optional unless the document must write it. */
export const ruleOf = (field: NumberLimits & { required?: boolean }): NumberRule => ({ ...field, optional: field.required !== true });

export function parseNumber(text: string, rule: NumberRule): Parsed<number | undefined> {
  const t = text.trim();
  if (t === '') return rule.optional ? { ok: true, value: undefined } : { ok: false, reason: 'required' };
  const v = Number(t);
  if (!Number.isFinite(v)) return { ok: false, reason: 'not a number' };
  if (withinLimits(v, rule)) return { ok: true, value: v };
  if (rule.integer && !Number.isInteger(v)) return { ok: false, reason: 'a whole number' };
  if (rule.min !== undefined && (rule.minExclusive ? v <= rule.min : v < rule.min))
    return { ok: false, reason: `${rule.minExclusive ? 'more than' : 'at least'} ${rule.min}` };
  return { ok: false, reason: `${rule.maxExclusive ? 'less than' : 'at most'} ${rule.max}` };
}
