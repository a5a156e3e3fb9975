/**
 * Python literals for the PyTorch generators (the model code in python.ts and the training script in
 * python_training.ts): strings, booleans, numbers, and floats Python reads as floats. Whatever a document
 * holds, the literal compiles: strings are pure ASCII with escapes (a newline in a name must not end the
 * line), and numbers of any size are spelled as Python reads them (1e21 as `1e+21`, never `1e+21.0`).
 */
import type { ArgValue } from '../catalogue';

/** A Python string literal in single quotes, ASCII only: control and non-ASCII characters as escapes. */
export function pyString(s: string): string {
  let out = "'";
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (c < 0x100) out += `\\x${c.toString(16).padStart(2, '0')}`;
    // for..of yields an unpaired surrogate as one unit; Python's '\udXXX' is that same code point.
    else if (c < 0x10000) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += `\\U${c.toString(16).padStart(8, '0')}`;
  }
  return `${out}'`;
}

/** An integer as Python's int literal: every digit (String(1e21) is "1e+21", a float in Python). */
const pyInt = (v: number): string => (Number.isSafeInteger(v) ? String(v) : BigInt(v).toString());

export const py = (v: ArgValue | undefined): string => {
  if (v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return pyNumber(v);
  // A pair or a shape: PyTorch takes a tuple wherever it takes an int-or-tuple or a size.
  if (Array.isArray(v)) return v.length === 1 ? `(${pyNumber(v[0])},)` : `(${v.map(pyNumber).join(', ')})`;
  return pyString(v);
};

/** A number as it is: an int when it is one, a float otherwise. */
const pyNumber = (v: number): string => (Number.isInteger(v) ? pyInt(v) : pyFloatText(v));

/** JavaScript's shortest round-trip spelling, which Python reads as the same float (1e-7, 1.5e+300). */
const pyFloatText = (v: number): string => {
  if (Number.isNaN(v)) return "float('nan')";
  if (!Number.isFinite(v)) return v > 0 ? "float('inf')" : "-float('inf')";
  return String(v);
};

/** A float literal Python reads as a float (1 → 1.0; 1e21 → 1e+21, already a float). */
export const pyFloat = (v: number): string => {
  const s = pyFloatText(v);
  return Number.isInteger(v) && /^-?\d+$/.test(s) ? `${s}.0` : s;
};

/**
 * Text safe in a `# comment`: one line (Python also ends lines at \r and \f), no NUL, and no character
 * that has no UTF-8 form (an unpaired surrogate).
 */
export function pyOneLine(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex -- finding control characters is what this expression is for
      .replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, ' ')
      .replace(/ {2,}/g, ' ')
      .trim()
  );
}

/** Text safe inside a `"""docstring"""`: one line, backslashes and quotes escaped so it cannot close early. */
export const pyDocText = (s: string): string => pyOneLine(s).replace(/\\/g, '\\\\').replace(/"/g, '\\"');
