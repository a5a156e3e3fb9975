/**
 * The IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/): a magic number
 * `00 00 <type> <ndim>`, ndim big-endian uint32 dimensions, then the values in row-major order. Only
 * unsigned bytes (type 0x08) are read: that is what every MNIST-style images and labels file holds, and it
 * lets the data stay as bytes.
 *
 * The parser is incremental (`IdxParser.push` per chunk) so a file is decompressed and parsed as it
 * streams in, into one buffer of the exact size the header declares: no concatenation of chunks, and a
 * truncated or over-long file is reported with the byte counts expected and found. Browser-safe: the file
 * reading is in idx_file.ts.
 */

export interface IdxArray {
  /** Dimensions from the header, e.g. [60000, 28, 28] for images or [60000] for labels. */
  dims: number[];
  data: Uint8Array;
}

const UBYTE = 0x08;
const TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
};

const hex = (bytes: ArrayLike<number>) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
const count = (n: number) => n.toLocaleString('en-US');

export class IdxParser {
  private readonly head = new Uint8Array(4 + 4 * 255);
  private headLength = 0;
  private headerSize = 0;
  private dims: number[] | null = null;
  private data: Uint8Array | null = null;
  private filled = 0;
  private excess = 0;

  /** `file` names the source in every error. */
  constructor(readonly file: string) {}

  push(chunk: Uint8Array): void {
    let offset = 0;
    if (this.data === null) offset = this.readHeader(chunk);
    if (this.data === null) return;
    const take = Math.min(chunk.length - offset, this.data.length - this.filled);
    this.data.set(chunk.subarray(offset, offset + take), this.filled);
    this.filled += take;
    this.excess += chunk.length - offset - take;
  }

  /** The parsed array; throws when the file ended early or went on past the declared size. */
  finish(): IdxArray {
    if (this.data === null || this.dims === null) {
      const expected = this.headLength >= 4 ? 4 + 4 * this.head[3] : 4;
      throw new Error(`${this.file}: truncated IDX header: expected ${expected} bytes (magic number and dimensions), found ${this.headLength}`);
    }
    const shape = `[${this.dims.join(', ')}]`;
    if (this.filled < this.data.length) {
      throw new Error(
        `${this.file}: truncated IDX file: the header declares ${shape} (${count(this.data.length)} bytes of data after the ${this.headerSize}-byte header), found ${count(this.filled)}`,
      );
    }
    if (this.excess > 0) {
      throw new Error(
        `${this.file}: ${count(this.excess)} unexpected bytes after the ${count(this.data.length)} bytes of data the header declares for ${shape}: the file is not a single IDX array`,
      );
    }
    return { dims: this.dims, data: this.data };
  }

  /** Consumes header bytes from `chunk`, allocating the data buffer once the header is complete; returns the offset reached. */
  private readHeader(chunk: Uint8Array): number {
    let offset = 0;
    while (offset < chunk.length && (this.headLength < 4 || this.headLength < 4 + 4 * this.head[3])) {
      this.head[this.headLength++] = chunk[offset++];
      if (this.headLength === 4) this.checkMagic();
    }
    if (this.headLength < 4 || this.headLength < 4 + 4 * this.head[3]) return offset;
    const view = new DataView(this.head.buffer, 0, this.headLength);
    const dims: number[] = [];
    for (let d = 0; d < this.head[3]; d++) dims.push(view.getUint32(4 + 4 * d, false));
    const size = dims.reduce((a, b) => a * b, 1);
    if (size > 2 ** 31)
      throw new Error(`${this.file}: the IDX header declares [${dims.join(', ')}], ${count(size)} bytes, more than can be held in memory`);
    this.dims = dims;
    this.headerSize = this.headLength;
    this.data = new Uint8Array(size);
    return offset;
  }

  private checkMagic(): void {
    const [a, b, type, ndim] = this.head;
    if (a !== 0 || b !== 0 || TYPE_NAMES[type] === undefined || ndim === 0) {
      throw new Error(
        `${this.file}: not an IDX file: it starts with ${hex(this.head.subarray(0, 4))}, expected a magic number 00 00 08 <dimensions> (e.g. 00 00 08 03 for images, 00 00 08 01 for labels)`,
      );
    }
    if (type !== UBYTE) {
      throw new Error(
        `${this.file}: IDX data type 0x${type.toString(16).padStart(2, '0')} (${TYPE_NAMES[type]}) is not supported: NN Blocks reads unsigned-byte IDX files (type 0x08), as MNIST-style images and labels are`,
      );
    }
  }
}

/** Parses a whole IDX file held in memory (already decompressed). */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  const parser = new IdxParser(file);
  parser.push(bytes);
  return parser.finish();
}

/** Writes an unsigned-byte IDX file's bytes (for tests and for exporting data in the MNIST format). */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const size = dims.reduce((a, b) => a * b, 1);
  if (size !== data.length) throw new Error(`encodeIdx: dimensions [${dims.join(', ')}] hold ${size} values but ${data.length} were given`);
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = UBYTE;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}
