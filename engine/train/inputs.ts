/**
 * What the user types for Predict, parsed the same way in the panel and in the Runs view's input box:
 * samples as numbers, and CSV row selections. Pure and browser-safe.
 */

/**
 * "0.5, -1; 2, 0.1" or one sample per line: numbers split by commas or spaces. Throws naming the first
 * value that is not a finite number (Number('abc') would pass NaN on to the model without a word).
 */
export function parseInputs(text: string): number[][] {
  const samples = text
    .split(/[;\n]/)
    .map((r) => r.trim())
    .filter((r) => r !== '');
  if (samples.length === 0) throw new Error('no input values: type numbers like 0.5, -1; 2, 0.1');
  return samples.map((sample, i) =>
    sample.split(/[\s,]+/).map((v, j) => {
      const x = Number(v);
      if (v === '' || !Number.isFinite(x)) throw new Error(`'${v}' (sample ${i + 1}, value ${j + 1}) is not a number`);
      return x;
    }),
  );
}

/** parseInputs' error message, or undefined when the text parses: for input boxes that check as you type. */
export function inputsError(text: string): string | undefined {
  try {
    parseInputs(text);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

export const MAX_PREDICT_ROWS = 1000;

/**
 * "1-5, 9" → [1, 2, 3, 4, 5, 9]: data rows counted from 1 (the first row after the header), in the
 * order given, at most MAX_PREDICT_ROWS. Throws with what is wrong.
 */
export function parseRowSpec(text: string): number[] {
  const rows: number[] = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part);
    if (m === null) throw new Error(`'${part}' is not a row number or a range like 1-5`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (from < 1 || to < from) throw new Error(`'${part}': rows count from 1, and a range goes up (like 1-5)`);
    for (let r = from; r <= to; r++) {
      rows.push(r);
      if (rows.length > MAX_PREDICT_ROWS) throw new Error(`at most ${MAX_PREDICT_ROWS} rows at a time`);
    }
  }
  if (rows.length === 0) throw new Error('no rows given: type row numbers like 1-5, 9');
  return rows;
}
