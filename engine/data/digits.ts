/**
 * A synthetic stand-in for MNIST, for the 28x28 examples on machines without the real data set: ten
 * classes, each a fixed random 28x28 binary template (30% of pixels on) seen through noise, so a model has
 * something real to learn (an MLP reaches high accuracy in a few epochs) and the numbers are reproducible.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { Tensor } from '../tensor';
import { Generator } from '../random';
import type { XY } from './builtin';

export interface DigitsOptions {
  /** Samples (default 1000); classes cycle 0..9. */
  n?: number;
  /** Seed of the templates and the noise (default 42). */
  seed?: number;
}

const PIXELS = 784;

/** Calls `row(pixels, label)` for each sample in order. */
function generate(options: DigitsOptions, row: (px: Float32Array, label: number) => void): void {
  const n = options.n ?? 1000;
  if (!Number.isInteger(n) || n <= 0) throw new Error(`digits: n must be a whole number > 0, got ${n}`);
  const g = new Generator(options.seed ?? 42);
  const templates = Array.from({ length: 10 }, () => Float32Array.from({ length: PIXELS }, () => (g.random() < 0.3 ? 1 : 0)));
  const px = new Float32Array(PIXELS);
  for (let r = 0; r < n; r++) {
    const c = r % 10;
    const t = templates[c];
    // Rounded to 2 decimals so the tensors equal what the CSV holds.
    for (let i = 0; i < PIXELS; i++) px[i] = Math.round(Math.min(1, Math.max(0, t[i] * 0.8 + g.random() * 0.4)) * 100) / 100;
    row(px, c);
  }
}

/** x `[n, 1, 28, 28]` in [0, 1], y `[n]` of class indices 0..9. */
export function digits(options: DigitsOptions = {}): XY {
  const n = options.n ?? 1000;
  const x = new Float32Array(n * PIXELS);
  const y = new Float32Array(n);
  let k = 0;
  generate(options, (px, label) => {
    x.set(px, k * PIXELS);
    y[k++] = label;
  });
  return { x: new Tensor(x, [n, 1, 28, 28]), y: new Tensor(y, [n]) };
}

/** Writes the same samples as a CSV (columns p0..p783, label), streamed and atomically. */
export async function writeDigitsCsv(path: string, options: DigitsOptions = {}): Promise<number> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  const out = createWriteStream(tmp);
  let rows = 0;
  const lines: string[] = [[...Array.from({ length: PIXELS }, (_, i) => `p${i}`), 'label'].join(',')];
  try {
    generate(options, (px, label) => {
      lines.push(`${Array.from(px, (v) => v.toFixed(2)).join(',')},${label}`);
      rows++;
    });
    for (let i = 0; i < lines.length; i += 256) {
      if (!out.write(lines.slice(i, i + 256).join('\n') + '\n')) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    await rename(tmp, path);
  } catch (e) {
    out.destroy();
    await rm(tmp, { force: true });
    throw e;
  }
  return rows;
}
