/** Reading and writing the files the commands are given, with errors that name the file. */
import { readFileSync, writeFileSync, mkdirSync, lstatSync } from 'node:fs';
import { writeFileAtomic } from '../engine/io/atomic_write';
import { dirname, resolve } from 'node:path';

export function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`${path}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/**
 * Writes an output file atomically (temp file, then rename), so an interrupted run never leaves half a
 * file where the user's was. A path that exists and is not itself a regular file is written in place:
 * a rename would replace the link or device rather than write through it (`-o /dev/stdout` is a symlink
 * to the process's fd 1, which may even be a regular file when stdout is redirected; a user's symlinked
 * output file must stay a link).
 */
export function writeOut(path: string, text: string | Uint8Array): void {
  let special = false;
  try {
    special = !lstatSync(path).isFile();
  } catch {
    // Not there yet: a new regular file.
  }
  try {
    if (special) writeFileSync(path, text);
    else {
      const target = resolve(path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileAtomic(target, text);
    }
  } catch (e) {
    const err = ((e as Error).cause ?? e) as NodeJS.ErrnoException;
    throw new Error(`${path}: cannot write the file (${err.code ?? err.message})`);
  }
}
