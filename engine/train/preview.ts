/**
 * The first rows of a CSV for the training panel's column picker, read from the head of the file only
 * (a 100 MB file previews as fast as a small one), and a check of that head against the model and the
 * loss: the same parsing (line and column of a missing or non-numeric value) and the same loss checks
 * (integer class labels, output size, one logit) a run makes, so most mistakes show before Train.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { previewCsv as previewText, parseCsv } from '../data';
import { resolveRunConfig } from './config';
import { prepareForLoss } from './validate';

const HEAD_BYTES = 64 * 1024;

export interface CsvPreview {
  path: string;
  columns: string[];
  rows: string[][];
  error: string | null;
  /** What a run on this file would fail with, found in its first rows (empty when no check was asked). */
  problems: string[];
}

/** What the head of the file is checked against: the training section and the model's shapes. */
export interface PreviewCheck {
  section: unknown;
  inputShape: number[];
  outputSize: number;
}

function checkHead(text: string, file: string, check: PreviewCheck): string[] {
  try {
    const config = resolveRunConfig('model', check.section);
    if (config.data.kind !== 'csv') return [];
    const { x, y } = parseCsv(
      text,
      { features: config.data.features ?? undefined, label: config.data.label ?? undefined, finite: true },
      path.basename(file),
    );
    prepareForLoss(config.loss.type, x, y, check.inputShape, check.outputSize);
    return [];
  } catch (e) {
    return [(e as Error).message];
  }
}

export async function previewCsv(file: string, maxRows = 10, check?: PreviewCheck): Promise<CsvPreview> {
  const empty = (error: string): CsvPreview => ({ path: file, columns: [], rows: [], error, problems: [error] });
  let head: string;
  let cut: boolean;
  try {
    const handle = await fsp.open(file, 'r');
    try {
      const buf = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await handle.read(buf, 0, HEAD_BYTES, 0);
      head = buf.subarray(0, bytesRead).toString('utf8');
      cut = bytesRead === HEAD_BYTES;
    } finally {
      await handle.close();
    }
  } catch {
    return empty(`cannot read ${file}`);
  }
  // Only whole lines: the last one may be cut by the byte limit.
  const lines = head.split(/\r?\n/);
  if (cut) lines.pop();
  const whole = lines.join('\n');
  if (whole.trim() === '') return empty(`${file} is empty`);
  try {
    const { columns, rows } = previewText(lines.slice(0, maxRows + 1).join('\n'), maxRows, path.basename(file));
    return { path: file, columns, rows, error: null, problems: check === undefined ? [] : checkHead(whole, file, check) };
  } catch (e) {
    return empty((e as Error).message);
  }
}
