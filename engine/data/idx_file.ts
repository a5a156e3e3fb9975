/**
 * Reading IDX files from disk (Node only): gzipped (detected by the gzip magic bytes, whatever the name)
 * or raw, streamed through node's zlib on its thread pool so the event loop stays free, parsed as the
 * bytes arrive, with progress in bytes of the files read. An images file and a labels file pair up into
 * a ByteImageDataset after their dimensions and counts are checked against each other.
 */
import { createReadStream, promises as fsp } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { IdxParser, type IdxArray } from './idx';
import { ByteImageDataset } from './image_dataset';

export interface ReadProgress {
  /** Bytes of the files read so far and their total size on disk (compressed bytes for .gz files). */
  onProgress?: (bytes: number, totalBytes: number) => void;
  /** Abandons the read; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

async function fileSize(file: string, what: string): Promise<number> {
  try {
    const st = await fsp.stat(file);
    if (!st.isFile()) throw new Error(`${file} is not a file`);
    return st.size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `cannot read the ${what} ${file}: no such file` : `cannot read the ${what} ${file}: ${(e as Error).message}`);
  }
}

async function isGzip(file: string): Promise<boolean> {
  const handle = await fsp.open(file, 'r');
  try {
    const head = new Uint8Array(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/** Streams one file through the parser; `onBytes` gets the count of file bytes read by each chunk. */
async function streamIdx(file: string, onBytes: (n: number) => void, signal?: AbortSignal): Promise<IdxArray> {
  const gz = await isGzip(file);
  const parser = new IdxParser(file);
  const raw = createReadStream(file, { highWaterMark: 1 << 20, signal });
  let source: Readable = raw;
  if (gz) {
    // pipe() reads `raw` through 'data' events, so counting them beside it sees every compressed byte.
    raw.on('data', (chunk) => onBytes(chunk.length));
    // 256 KB output chunks: each is parsed between two turns of the event loop.
    const gunzip = createGunzip({ chunkSize: 1 << 18 });
    raw.on('error', (e) => gunzip.destroy(e));
    source = raw.pipe(gunzip);
  }
  try {
    for await (const chunk of source) {
      if (!gz) onBytes((chunk as Buffer).length);
      signal?.throwIfAborted();
      parser.push(chunk as Buffer);
    }
    signal?.throwIfAborted();
  } catch (e) {
    if (signal?.aborted) throw signal.reason;
    const err = e as NodeJS.ErrnoException;
    if (gz && err.code?.startsWith('Z_')) throw new Error(`${file}: the gzip data is corrupt or truncated (${err.message})`);
    if (err.message.startsWith(file)) throw err;
    throw new Error(`cannot read ${file}: ${err.message}`);
  } finally {
    raw.destroy();
  }
  return parser.finish();
}

/** One IDX file, gzipped or raw. */
export async function readIdxFile(file: string, options: ReadProgress = {}): Promise<IdxArray> {
  const total = await fileSize(file, 'IDX file');
  let read = 0;
  return streamIdx(file, (n) => options.onProgress?.((read += n), total), options.signal);
}

export interface IdxPairFiles {
  images: string;
  labels: string;
  /** Names of the classes by label; default '0', '1', ... up to the largest label. */
  classNames?: readonly string[];
}

/**
 * An images file ([count, rows, columns]) and its labels file ([count]) as one data set, its images of
 * shape [1, rows, columns]. Progress covers both files.
 */
export async function readIdxDataset(files: IdxPairFiles, options: ReadProgress = {}): Promise<ByteImageDataset> {
  const sizes = [await fileSize(files.images, 'IDX images file'), await fileSize(files.labels, 'IDX labels file')];
  const total = sizes[0] + sizes[1];
  let read = 0;
  const onBytes = (n: number) => options.onProgress?.((read += n), total);
  const images = await streamIdx(files.images, onBytes, options.signal);
  const labels = await streamIdx(files.labels, onBytes, options.signal);
  const shape = (a: IdxArray) => `[${a.dims.join(', ')}]`;
  if (images.dims.length !== 3) {
    throw new Error(
      `${files.images}: expected an images file with 3 dimensions [count, rows, columns], found ${images.dims.length} ${shape(images)}${images.dims.length === 1 ? ': is this the labels file?' : ''}`,
    );
  }
  if (labels.dims.length !== 1) {
    throw new Error(
      `${files.labels}: expected a labels file with 1 dimension [count], found ${labels.dims.length} ${shape(labels)}${labels.dims.length === 3 ? ': is this the images file?' : ''}`,
    );
  }
  const [n, rows, cols] = images.dims;
  if (labels.dims[0] !== n)
    throw new Error(`${files.images} holds ${n} images but ${files.labels} holds ${labels.dims[0]} labels: each image needs one label`);
  const classLabels = Int32Array.from(labels.data);
  let maxLabel = -1;
  for (let i = 0; i < classLabels.length; i++) maxLabel = Math.max(maxLabel, classLabels[i]);
  const classNames = files.classNames ?? Array.from({ length: maxLabel + 1 }, (_, i) => String(i));
  if (maxLabel >= classNames.length) {
    const at = classLabels.findIndex((v) => v >= classNames.length);
    throw new Error(
      `${files.labels}: label ${classLabels[at]} (image ${at}) is outside the ${classNames.length} class names ${classNames.join(', ')}`,
    );
  }
  return new ByteImageDataset(images.data, classLabels, [1, rows, cols], classNames);
}
