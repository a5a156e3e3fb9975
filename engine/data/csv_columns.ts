/**
 * Turning CSV rows into feature and label columns: choosing the columns, converting text to numbers, and
 * naming the exact line, column and text when a value is missing or not a number. Shared by the in-memory
 * parser and the streaming reader.
 */
import { quoted } from '../quote';

/** Column names for a message: each quoted short, at most twenty, then how many more. */
const columnList = (names: string[]) => names.slice(0, 20).map(quoted).join(', ') + (names.length > 20 ? ` and ${names.length - 20} more` : '');
export interface CsvOptions {
  /** The label column, by name or zero-based index; default the last column. */
  label?: string | number;
  /** Feature columns, by name or index; default every column but the label. */
  features?: (string | number)[];
  /** Whether the first row names the columns (default true). */
  header?: boolean;
  /** 'column' gives y of shape [N, 1] (regression, binary); 'index' gives [N] (class indices for CrossEntropyLoss). */
  labelShape?: 'column' | 'index';
  /** Column separator (default ','). */
  delimiter?: string;
  /**
   * Reject "nan", "inf" and overflowing numbers, naming line and column (default false: they are read as
   * NaN / Infinity). Training sets this: one NaN input makes every loss NaN, which looks like divergence.
   */
  finite?: boolean;
}

export interface ColumnPlan {
  names: string[];
  featureIdx: number[];
  labelIdx: number;
  featureNames: string[];
  labelName: string;
  finite: boolean;
}

export function planColumns(fileName: string, firstRow: string[], options: CsvOptions): ColumnPlan {
  const header = options.header ?? true;
  const names = header ? firstRow.map((n) => n.trim()) : firstRow.map((_, i) => `column ${i}`);
  const resolve = (c: string | number, what: string): number => {
    if (typeof c === 'number') {
      if (!Number.isInteger(c) || c < 0 || c >= names.length)
        throw new Error(`${fileName}: ${what} column ${c} does not exist (the file has ${names.length} columns)`);
      return c;
    }
    const i = names.indexOf(c);
    if (i < 0) throw new Error(`${fileName}: no column named ${quoted(c)} for the ${what} (columns: ${columnList(names)})`);
    return i;
  };
  if (names.length < 2) throw new Error(`${fileName}: expected at least two columns (features and a label), found ${names.length}`);
  const labelIdx = resolve(options.label ?? names.length - 1, 'label');
  const featureIdx = options.features ? options.features.map((f) => resolve(f, 'feature')) : names.map((_, i) => i).filter((i) => i !== labelIdx);
  if (featureIdx.length === 0) throw new Error(`${fileName}: no feature columns selected`);
  if (featureIdx.includes(labelIdx)) throw new Error(`${fileName}: column ${quoted(names[labelIdx])} is both a feature and the label`);
  return { names, featureIdx, labelIdx, featureNames: featureIdx.map((i) => names[i]), labelName: names[labelIdx], finite: options.finite === true };
}

/** Parses one field, or throws an error naming file, line, column and the text. */
export function numberAt(fileName: string, line: number, column: string, text: string | undefined, finite = false): number {
  if (text === undefined || text.trim() === '') throw new Error(`${fileName}:${line}: column ${quoted(column)} is empty (missing value)`);
  const v = Number(text.trim());
  if (Number.isNaN(v) && text.trim().toLowerCase() !== 'nan')
    throw new Error(`${fileName}:${line}: column ${quoted(column)} is ${quoted(text)}, not a number`);
  if (finite && !Number.isFinite(v))
    throw new Error(`${fileName}:${line}: column ${quoted(column)} is ${quoted(text)}, not a finite number (fill in or drop the missing value)`);
  return v;
}

/** Growable float storage for rows whose count is not known up front (streams). */
export class FloatColumns {
  private data: Float32Array;
  length = 0;
  constructor(initial = 1024) {
    this.data = new Float32Array(initial);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  toArray(): Float32Array {
    return this.data.slice(0, this.length);
  }
}

/** Appends one record's values, checking its width against the header. */
export function appendRecord(fileName: string, line: number, record: string[], plan: ColumnPlan, x: FloatColumns, y: FloatColumns): void {
  if (record.length !== plan.names.length) {
    throw new Error(`${fileName}:${line}: expected ${plan.names.length} fields, found ${record.length}`);
  }
  for (const i of plan.featureIdx) x.push(numberAt(fileName, line, plan.names[i], record[i], plan.finite));
  y.push(numberAt(fileName, line, plan.names[plan.labelIdx], record[plan.labelIdx], plan.finite));
}
