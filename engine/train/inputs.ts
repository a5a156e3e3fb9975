/**
 * What the user types for Predict, parsed the same way in the panel and in the Runs view's input box:
 * samples as numbers, and CSV row selections. Pure and browser-safe.
 */

/** "0.5, -1; 2, 0.1" or one sample per line: numbers split by commas or spaces. */
export function parseInputs(text: string): number[][] {
  return text
    .split(/[;\n]/)
    .map((r) => r.trim())
    .filter((r) => r !== '')
    .map((r) => r.split(/[\s,]+/).map(Number));
}

export const MAX_PREDICT_ROWS = 1000;

/**
 * "1-5, 9" → [1, 2, 3, 4, 5, 9]: data rows counted from 1 (the first row after the header), in the
 * order given, at most MAX_PREDICT_ROWS. Throws with what is wrong.
 */
export function parseRowSpec(text: string): number[] {
  const rows: number[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
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
