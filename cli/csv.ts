/**
 * A small numeric CSV reader for `nnb infer`: a header row, then one sample per line. Errors name the
 * file, line and column, since a shell user has only the message to go on.
 */
export interface NumericCsv {
  header: string[];
  rows: number;
  cols: number;
  data: Float32Array;
}

export function parseNumericCsv(text: string, fileName: string): NumericCsv {
  const lines = text.split(/\r?\n/);
  const firstIdx = lines.findIndex((l) => l.trim() !== '');
  if (firstIdx < 0) throw new Error(`${fileName}: the file is empty (expected a header row and at least one row of numbers)`);
  const split = (l: string) => l.split(',').map((c) => c.trim());
  let header = split(lines[firstIdx]);
  let start = firstIdx + 1;
  // A file without a header (first row all numbers) is accepted too.
  if (header.every((h) => h !== '' && Number.isFinite(Number(h)))) {
    header = header.map((_, i) => `x${i}`);
    start = firstIdx;
  }
  const cols = header.length;
  const values: number[] = [];
  let rows = 0;
  for (let i = start; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const cells = split(lines[i]);
    if (cells.length !== cols) throw new Error(`${fileName}:${i + 1}: expected ${cols} values (as in the header), found ${cells.length}`);
    cells.forEach((c, j) => {
      const v = Number(c);
      if (c === '' || !Number.isFinite(v))
        throw new Error(`${fileName}:${i + 1}: column ${j + 1} (${header[j]}) is not a number: ${JSON.stringify(c)}`);
      values.push(v);
    });
    rows++;
  }
  if (rows === 0) throw new Error(`${fileName}: no data rows after the header`);
  return { header, rows, cols, data: Float32Array.from(values) };
}

export function formatCsv(header: string[], rows: number, data: ArrayLike<number>): string {
  const cols = header.length;
  const out = [header.join(',')];
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < cols; c++) cells.push(String(data[r * cols + c]));
    out.push(cells.join(','));
  }
  return `${out.join('\n')}\n`;
}
