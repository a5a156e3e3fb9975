/** CSV text to tensors, browser-safe (no file system): the training panel previews with it too. */
import { parse } from 'csv-parse/sync';
import { Tensor } from '../tensor';
import { appendRecord, FloatColumns, planColumns, type CsvOptions } from './csv_columns';
import { utf16TextProblem } from './csv_encoding';

export interface CsvData {
  x: Tensor;
  y: Tensor;
  featureNames: string[];
  labelName: string;
}

type Row = { record: string[]; info: { lines: number } };

function rows(text: string, fileName: string, delimiter: string): Row[] {
  const utf16 = utf16TextProblem(text, fileName);
  if (utf16 !== null) throw new Error(utf16);
  try {
    // bom: a UTF-8 byte-order mark is no part of the first column's name.
    return parse(text, { info: true, relax_column_count: true, skip_empty_lines: true, delimiter, trim: false, bom: true }) as Row[];
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new Error(`${fileName}${err.lines ? `:${err.lines}` : ''}: ${err.message}`);
  }
}

export function parseCsv(text: string, options: CsvOptions = {}, fileName = 'data.csv'): CsvData {
  const all = rows(text, fileName, options.delimiter ?? ',');
  if (all.length === 0) throw new Error(`${fileName}: the file is empty`);
  const header = options.header ?? true;
  const plan = planColumns(fileName, all[0].record, options);
  const body = header ? all.slice(1) : all;
  if (body.length === 0) throw new Error(`${fileName}: no data rows after the header`);
  const x = new FloatColumns(body.length * plan.featureIdx.length);
  const y = new FloatColumns(body.length);
  for (const r of body) appendRecord(fileName, r.info.lines, r.record, plan, x, y);
  const n = body.length;
  return {
    x: new Tensor(x.toArray(), [n, plan.featureIdx.length]),
    y: new Tensor(y.toArray(), options.labelShape === 'index' ? [n] : [n, 1]),
    featureNames: plan.featureNames,
    labelName: plan.labelName,
  };
}

/** The column names and the first rows as text, for a preview table. */
export function previewCsv(text: string, maxRows = 5, fileName = 'data.csv', delimiter = ','): { columns: string[]; rows: string[][] } {
  const all = rows(text, fileName, delimiter);
  if (all.length === 0) throw new Error(`${fileName}: the file is empty`);
  return { columns: all[0].record, rows: all.slice(1, 1 + maxRows).map((r) => r.record) };
}
