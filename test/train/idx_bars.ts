/**
 * A small, learnable image set written as IDX files for the image-data tests: 8x8 images of three
 * classes, each a bright bar on its own rows over fixed noise.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeIdx } from '../../engine/data';

export const SIZE = 8;
export const CLASSES = ['top', 'middle', 'bottom'];

/**
 * n images of 8x8: class k (i mod 3) has a bright bar on rows 3k..3k+1, over noise from a fixed
 * linear-congruential sequence (so the files are the same on every run).
 */
function bars(n: number, salt: number): { images: Uint8Array; labels: Uint8Array } {
  const images = new Uint8Array(n * SIZE * SIZE);
  let s = salt;
  for (let i = 0; i < n; i++) {
    const k = i % 3;
    for (let r = 0; r < SIZE; r++) {
      for (let c = 0; c < SIZE; c++) {
        s = (s * 1103515245 + 12345) % 2147483648;
        const bar = r === 3 * k || r === 3 * k + 1 ? 160 : 0;
        images[(i * SIZE + r) * SIZE + c] = Math.min(255, bar + (s % 96));
      }
    }
  }
  return { images, labels: Uint8Array.from({ length: n }, (_, i) => i % 3) };
}

/** Writes `name`-images.gz (gzipped) and `name`-labels (raw) into dir; returns their names. */
export async function writeIdxSet(dir: string, name: string, n: number, salt: number): Promise<{ images: string; labels: string }> {
  const { images, labels } = bars(n, salt);
  await fsp.writeFile(path.join(dir, `${name}-images.gz`), gzipSync(encodeIdx([n, SIZE, SIZE], images)));
  await fsp.writeFile(path.join(dir, `${name}-labels`), encodeIdx([n], labels));
  return { images: `${name}-images.gz`, labels: `${name}-labels` };
}
