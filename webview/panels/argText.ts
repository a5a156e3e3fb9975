/**
 * What the inspector's text field for an argument means: a number, or for int-or-pair arguments '3',
 * '3, 5', '3x5' or '[3, 5]' (and a keyword such as 'same'), checked against the catalogue's type, arity
 * and range before any edit is sent. Empty clears an optional argument.
 */
import type { ArgSpec, ArgValue } from '../../engine/graph/catalogue';

export type ParsedArg = { value: ArgValue | null } | { problem: string };

export function parseArgText(arg: ArgSpec, text: string): ParsedArg {
  const t = text.trim();
  if (t === '') return arg.required ? { problem: `${arg.name} is required` } : { value: null };
  if (arg.type === 'size' || arg.type === 'ints') return parseList(arg, t);
  const v = Number(t);
  if (!Number.isFinite(v)) return { problem: `${arg.name} must be a number` };
  if (arg.type === 'int' && !Number.isInteger(v)) return { problem: `${arg.name} must be an integer` };
  return inRange(arg, [v]) ?? { value: v };
}

function inRange(arg: ArgSpec, values: number[]): { problem: string } | null {
  if (arg.min !== undefined && values.some((v) => v < (arg.min as number))) return { problem: `${arg.name} must be ≥ ${arg.min}` };
  if (arg.max !== undefined && values.some((v) => v > (arg.max as number))) return { problem: `${arg.name} must be ≤ ${arg.max}` };
  return null;
}

function parseList(arg: ArgSpec, t: string): ParsedArg {
  if (arg.keywords?.includes(t)) return { value: t };
  const arity = arg.type === 'size' ? (arg.arity ?? 2) : undefined;
  const forms =
    arity === undefined
      ? 'a whole number or a list like 5, 3'
      : arity === 1
        ? 'a whole number'
        : `a whole number or ${arity} of them like ${Array.from({ length: arity }, (_, i) => i + 2).join(', ')}`;
  const problem = { problem: `${arg.name} must be ${forms}${arg.keywords ? `, or ${arg.keywords.join(' or ')}` : ''}` };
  const parts = t
    .split(/[\s,x×[\]]+/)
    .filter((p) => p !== '')
    .map(Number);
  if (parts.length === 0 || parts.some((p) => !Number.isInteger(p))) return problem;
  if (parts.length > 1 && arity !== undefined && parts.length !== arity) return problem;
  return inRange(arg, parts) ?? { value: parts.length === 1 ? parts[0] : parts };
}
