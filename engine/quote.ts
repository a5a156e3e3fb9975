/**
 * User-given strings as messages quote them. A name can be anything JSON holds (a 10 MB op, a newline in
 * a block name): an error must stay one readable line, so a string is quoted with JSON's escapes and, past
 * a short prefix, cut with its length said. Messages never echo more than that.
 */

/** Longest string quoted whole; longer ones show this many characters and their length. */
export const QUOTE_MAX = 60;

/** `"name"`, or `"first 60 characters…" (10,000,000 characters)` for a long one; newlines escaped. */
export function quoted(s: string): string {
  if (s.length <= QUOTE_MAX) return JSON.stringify(s);
  return `${JSON.stringify(s.slice(0, QUOTE_MAX))}… (${s.length.toLocaleString('en-US')} characters)`;
}

/** A string as text, unquoted, when it is short and printable (an id in `id: message`), otherwise quoted. */
export function shown(s: string): string {
  return s.length <= QUOTE_MAX && /^[\x20-\x7e]+$/.test(s) ? s : quoted(s);
}

/** Any JSON value as a message shows it: JSON text, cut to a short prefix with its length when long. */
export function quotedValue(v: unknown): string {
  if (typeof v === 'string') return quoted(v);
  const text = JSON.stringify(v) ?? String(v);
  return text.length <= 2 * QUOTE_MAX
    ? text
    : `${text.slice(0, 2 * QUOTE_MAX)}… (${Array.isArray(v) ? `${v.length.toLocaleString('en-US')} items` : `${text.length.toLocaleString('en-US')} characters`})`;
}

/** `'name'` for a plain short name (as messages have always written names), otherwise `quoted`. */
export function singleQuoted(s: string): string {
  return s.length <= QUOTE_MAX && /^[\x20-\x7e]*$/.test(s) && !s.includes("'") ? `'${s}'` : quoted(s);
}
