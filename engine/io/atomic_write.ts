/**
 * Writes a file so that readers see either the old content or the new, never a half-written file: a sync
 * writer (CLI, safetensors, ONNX) and an async one (run folders, written from the extension host's thread).
 */
import { closeSync, fsyncSync, lstatSync, openSync, promises as fsp, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Temp file beside the target, fsync, rename. A path that exists and is not itself a regular file is
 * written in place instead: a rename would replace the symlink or device rather than write through it
 * (`-o /dev/stdout` is a symlink to fd 1, and a user's symlinked output must stay a link).
 */
export function writeFileAtomic(path: string, bytes: Uint8Array | string): void {
  const target = resolve(path);
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  if (isSpecial(target)) {
    try {
      writeFileSync(target, data);
    } catch (e) {
      throw new Error(`cannot write ${path}: ${(e as Error).message}`, { cause: e });
    }
    return;
  }
  const tmp = tempPathFor(target);
  let fd = -1;
  try {
    fd = openSync(tmp, 'wx');
    let written = 0;
    while (written < data.length) written += writeSync(fd, data, written, data.length - written);
    fsyncSync(fd);
    closeSync(fd);
    fd = -1;
    renameSync(tmp, target);
  } catch (e) {
    if (fd >= 0) closeSync(fd);
    try {
      rmSync(tmp, { force: true });
    } catch {
      // The folder itself is unusable (not a directory, no permission): there is no temporary file, and
      // the write's own error, not the removal's, is the one to report.
    }
    throw new Error(`cannot write ${path}: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * writeFileAtomic for async callers: the same temp file, fsync and rename, and the same in-place write of
 * links and devices. Rejects with the file system's own error; a failed write leaves no temp file.
 */
export async function writeFileAtomicAsync(path: string, data: Uint8Array | string): Promise<void> {
  const target = resolve(path);
  const special = await fsp.lstat(target).then(
    (s) => !s.isFile(),
    () => false,
  );
  if (special) return fsp.writeFile(target, data);
  const tmp = tempPathFor(target);
  try {
    const handle = await fsp.open(tmp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(tmp, target);
  } catch (e) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}

/** Hidden, beside the target (a rename within one folder is atomic), unique to this process and call. */
function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** There already, and a link, device, pipe or socket rather than a regular file. */
function isSpecial(path: string): boolean {
  try {
    return !lstatSync(path).isFile();
  } catch {
    return false; // not there yet (or unreadable: the write itself will say why)
  }
}
