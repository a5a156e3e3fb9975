/**
 * The first rows of a CSV for the training panel's column picker, read from the head of the file only
 * (a 100 MB file previews as fast as a small one). Values are shown as text; numeric checks with line and
 * column happen when the data is loaded for a run.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { previewCsv as previewText } from '../data';

const HEAD_BYTES = 64 * 1024;

export interface CsvPreview {
  path: string;
  columns: string[];
  rows: string[][];
  error: string | null;
}

export async function previewCsv(file: string, maxRows = 10): Promise<CsvPreview> {
  let head: string;
  try {
    const handle = await fsp.open(file, 'r');
    try {
      const buf = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await handle.read(buf, 0, HEAD_BYTES, 0);
      head = buf.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return { path: file, columns: [], rows: [], error: `cannot read ${file}` };
  }
  // Only whole lines: the last one may be cut by the byte limit.
  const lines = head.split(/\r?\n/);
  if (head.length === HEAD_BYTES) lines.pop();
  const text = lines.slice(0, maxRows + 1).join('\n');
  if (text.trim() === '') return { path: file, columns: [], rows: [], error: `${file} is empty` };
  try {
    const { columns, rows } = previewText(text, maxRows, path.basename(file));
    return { path: file, columns, rows, error: null };
  } catch (e) {
    return { path: file, columns: [], rows: [], error: (e as Error).message };
  }
}
