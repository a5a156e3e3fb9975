/** Reading CSV files (Node only): whole files in one go, or streamed for files too big to hold as text. */
import { closeSync, createReadStream, openSync, readFileSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse';
import { Tensor } from '../tensor';
import { appendRecord, FloatColumns, planColumns, type ColumnPlan, type CsvOptions } from './csv_columns';
import { parseCsv, type CsvData } from './csv_parse';
import { utf16Encoding } from './csv_encoding';

/** A whole CSV file: UTF-8, or UTF-16 (by its byte-order mark or its NULs), decoded as what it is. */
export function readCsv(path: string, options: CsvOptions = {}): CsvData {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`${path}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  // TextDecoder drops the byte-order mark of the encoding it decodes.
  return parseCsv(new TextDecoder(utf16Encoding(bytes) ?? 'utf-8').decode(bytes), options, basename(path));
}

/** The first bytes of a file (for its encoding), or none when it cannot be opened (the stream says why). */
function headBytes(path: string): Uint8Array {
  try {
    const fd = openSync(path, 'r');
    try {
      const buf = new Uint8Array(256);
      return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return new Uint8Array(0);
  }
}

/** A data record of a CSV, with the column plan its first row gave and its line in the file. */
interface CsvRecord {
  plan: ColumnPlan;
  record: string[];
  line: number;
}

/**
 * The data records of a CSV as they are parsed, after the header (unless `options.header` is false).
 * Errors name the file (and the line, for a parse error); a file with no rows at all is an error.
 * Ending the loop early closes the file. `signal` abandons the read, rejecting with its reason.
 */
async function* csvRecords(path: string, options: CsvOptions, onProgress?: (bytes: number) => void, signal?: AbortSignal): AsyncGenerator<CsvRecord> {
  const name = basename(path);
  const header = options.header ?? true;
  signal?.throwIfAborted();
  // The stream parses bytes as UTF-8: a UTF-16 file is refused by name rather than read as garbage.
  const utf16 = utf16Encoding(headBytes(path));
  if (utf16 !== null)
    throw new Error(
      `${name}: the file is ${utf16.toUpperCase()} text, not UTF-8: save it as UTF-8 CSV (in Excel: "CSV UTF-8"; in PowerShell: Out-File -Encoding utf8)`,
    );
  const source = createReadStream(path, { signal });
  let bytes = 0;
  source.on('data', (chunk) => {
    bytes += chunk.length;
    onProgress?.(bytes);
  });
  const parser = source.pipe(parse({ info: true, relax_column_count: true, skip_empty_lines: true, delimiter: options.delimiter ?? ',', bom: true }));
  // pipe() does not forward the source's errors (a missing file): hand them to the parser's iterator.
  source.on('error', (e) => parser.destroy(e));
  let plan: ColumnPlan | null = null;
  try {
    for await (const row of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (plan === null) {
        plan = planColumns(name, row.record, options);
        if (header) continue;
      }
      yield { plan, record: row.record, line: row.info.lines };
    }
  } catch (e) {
    if (signal?.aborted) throw signal.reason;
    const err = e as Error & { lines?: number; code?: string };
    if (err.code === 'ENOENT') throw new Error(`${path}: no such file`);
    if (err.code === 'EACCES' || err.code === 'EISDIR') throw new Error(`${path}: cannot read the file (${err.code})`);
    if (err.message.startsWith(name)) throw err;
    throw new Error(`${name}${err.lines ? `:${err.lines}` : ''}: ${err.message}`);
  } finally {
    source.destroy();
  }
  if (plan === null) throw new Error(`${name}: the file is empty`);
}

/**
 * Streams a CSV into tensors: rows are converted as they arrive and only the numbers are kept, so a
 * 100 MB file never exists as text or row objects all at once. `onProgress` receives bytes read;
 * `signal` abandons the read (a run stopped while its data loads), rejecting with the signal's reason.
 */
export async function readCsvStream(
  path: string,
  options: CsvOptions = {},
  onProgress?: (bytes: number) => void,
  signal?: AbortSignal,
): Promise<CsvData> {
  const name = basename(path);
  let plan: ColumnPlan | null = null;
  const x = new FloatColumns(1 << 16);
  const y = new FloatColumns(1 << 14);
  let n = 0;
  for await (const r of csvRecords(path, options, onProgress, signal)) {
    plan = r.plan;
    appendRecord(name, r.line, r.record, plan, x, y);
    n++;
  }
  if (plan === null) throw new Error(`${name}: no data rows after the header`);
  return {
    x: new Tensor(x.toArray(), [n, plan.featureIdx.length]),
    y: new Tensor(y.toArray(), options.labelShape === 'index' ? [n] : [n, 1]),
    featureNames: plan.featureNames,
    labelName: plan.labelName,
  };
}

/**
 * Data rows `rows` (counted from 1, the first row after the header) of a CSV, each as its feature values
 * and label, in the order asked: for Predict on rows the user picks. The file is read only as far as the
 * last row asked for, so picking rows of a 100 MB file stays quick.
 */
export async function readCsvRows(
  path: string,
  rows: readonly number[],
  options: CsvOptions = {},
): Promise<{ features: number[][]; labels: number[]; featureNames: string[] }> {
  const name = basename(path);
  const wanted = new Set(rows);
  const last = Math.max(...rows);
  let plan: ColumnPlan | null = null;
  const found = new Map<number, { features: number[]; label: number }>();
  let n = 0;
  for await (const r of csvRecords(path, options)) {
    plan = r.plan;
    n++;
    if (wanted.has(n)) {
      const x = new FloatColumns(plan.featureIdx.length);
      const y = new FloatColumns(1);
      appendRecord(name, r.line, r.record, plan, x, y);
      found.set(n, { features: Array.from(x.toArray()), label: y.toArray()[0] });
    }
    if (n >= last) break;
  }
  if (n < last || plan === null) throw new Error(`${name} has ${n} data rows; there is no row ${last}`);
  return { features: rows.map((r) => found.get(r)!.features), labels: rows.map((r) => found.get(r)!.label), featureNames: plan.featureNames };
}
