/** Reading and writing the files the commands are given, with errors that name the file. */
import { readFileSync, mkdirSync } from 'node:fs';
import { writeFileAtomic } from '../engine/io/atomic_write';
import { dirname, resolve } from 'node:path';

export function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`${path}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** Writes an output file atomically (engine/io/atomic_write.ts: links and devices in place), naming it on failure. */
export function writeOut(path: string, text: string | Uint8Array): void {
  try {
    mkdirSync(dirname(resolve(path)), { recursive: true });
    writeFileAtomic(path, text);
  } catch (e) {
    const err = ((e as Error).cause ?? e) as NodeJS.ErrnoException;
    throw new Error(`${path}: cannot write the file (${err.code ?? err.message})`);
  }
}
