/**
 * The safetensors format, byte for byte (browser-safe, no file system): an 8-byte little-endian header
 * length, a JSON header `{ "__metadata__": {...}, name: { dtype, shape, data_offsets } }` padded with
 * spaces to a multiple of 8, then the raw little-endian tensor data. Files written here load with the
 * `safetensors` Python package straight into a PyTorch model with the same state-dict keys.
 */
import { Tensor } from '../tensor';
import { formatShape, sizeOf } from '../shape';

export type SafetensorsMetadata = Record<string, string>;

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

const BYTES: Record<string, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };
const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Encodes named tensors (in the given key order; F32, or I64 for int64 ones) with optional string metadata. */
export function encodeSafetensors(tensors: Record<string, Tensor>, metadata?: SafetensorsMetadata): Uint8Array {
  const header: Record<string, HeaderEntry | SafetensorsMetadata> = {};
  if (metadata && Object.keys(metadata).length > 0) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new Error(`safetensors: metadata value for '${k}' must be a string, got ${typeof v}`);
    }
    header.__metadata__ = metadata;
  }
  let offset = 0;
  const entries = Object.entries(tensors);
  for (const [name, t] of entries) {
    if (name === '__metadata__') throw new Error("safetensors: '__metadata__' is reserved and cannot name a tensor");
    if (!(t instanceof Tensor)) throw new Error(`safetensors: '${name}' is not a Tensor`);
    const bytes = t.data.length * (t.dtype === 'int64' ? 8 : 4);
    header[name] = { dtype: t.dtype === 'int64' ? 'I64' : 'F32', shape: t.shape.slice(), data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (new TextEncoder().encode(json).length % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.length;
  for (const [name, t] of entries) {
    if (t.dtype === 'int64') {
      // Counters such as num_batches_tracked: whole numbers, written as PyTorch's int64.
      for (let i = 0; i < t.data.length; i++) {
        const v = t.data[i];
        if (!Number.isInteger(v)) throw new Error(`safetensors: int64 tensor '${name}' holds a non-integer value ${v} at index ${i}`);
        view.setBigInt64(pos + i * 8, BigInt(v), true);
      }
      pos += t.data.length * 8;
      continue;
    }
    if (littleEndian) out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), pos);
    else for (let i = 0; i < t.data.length; i++) view.setFloat32(pos + i * 4, t.data[i], true);
    pos += t.data.length * 4;
  }
  return out;
}

/**
 * Decodes a safetensors file. Float32 data is copied bit for bit; other dtypes (F64, F16, BF16, integer,
 * BOOL) are converted to float32 so files saved by PyTorch in any of them load. `name` labels errors.
 */
export function decodeSafetensors(bytes: Uint8Array, name = 'safetensors data'): { tensors: Record<string, Tensor>; metadata: SafetensorsMetadata } {
  if (bytes.length < 8) throw new Error(`${name}: truncated file (${bytes.length} bytes, not even the 8-byte header length)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > bytes.length - 8) {
    throw new Error(`${name}: truncated or not a safetensors file (header says ${headerLength} bytes, the file has ${bytes.length - 8} after the length)`);
  }
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (e) {
    throw new Error(`${name}: the header is not valid JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw new Error(`${name}: the header is not a JSON object`);
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const metadata = (header.__metadata__ ?? {}) as SafetensorsMetadata;
  // The spec allows only string-to-string metadata; anything else means a corrupt or foreign header.
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata) || Object.values(metadata).some((v) => typeof v !== 'string')) {
    throw new Error(`${name}: __metadata__ must map strings to strings, got ${JSON.stringify(header.__metadata__)}`);
  }
  const tensors: Record<string, Tensor> = {};
  const spans: [number, number, string][] = [];
  for (const [key, raw] of Object.entries(header)) {
    if (key === '__metadata__') continue;
    const e = raw as Partial<HeaderEntry>;
    const width = BYTES[e.dtype ?? ''];
    if (width === undefined) throw new Error(`${name}: tensor '${key}' has unsupported dtype ${JSON.stringify(e.dtype)}`);
    if (!Array.isArray(e.shape) || e.shape.some((d) => !Number.isInteger(d) || d < 0)) throw new Error(`${name}: tensor '${key}' has an invalid shape ${JSON.stringify(e.shape)}`);
    const [begin, end] = e.data_offsets ?? [NaN, NaN];
    const count = sizeOf(e.shape);
    if (!Number.isInteger(begin) || !Number.isInteger(end) || begin < 0 || end > dataLength || end - begin !== count * width) {
      throw new Error(`${name}: tensor '${key}' (${e.dtype} ${formatShape(e.shape)}) has data offsets [${begin}, ${end}] outside the ${dataLength} data bytes or of the wrong length`);
    }
    spans.push([begin, end, key]);
    const t = new Tensor(convert(view, dataStart + begin, count, e.dtype as string), e.shape);
    // An int64 tensor stays int64 when saved again (a state dict loaded and re-saved keeps PyTorch's dtypes).
    if (e.dtype === 'I64') t.dtype = 'int64';
    tensors[key] = t;
  }
  spans.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i][0] < spans[i - 1][1]) throw new Error(`${name}: tensors '${spans[i - 1][2]}' and '${spans[i][2]}' overlap`);
  }
  return { tensors, metadata };
}

function convert(view: DataView, at: number, count: number, dtype: string): Float32Array {
  const out = new Float32Array(count);
  switch (dtype) {
    case 'F32':
      if (littleEndian && (view.byteOffset + at) % 4 === 0) out.set(new Float32Array(view.buffer, view.byteOffset + at, count));
      else for (let i = 0; i < count; i++) out[i] = view.getFloat32(at + i * 4, true);
      break;
    case 'F64':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(at + i * 8, true);
      break;
    case 'F16':
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(at + i * 2, true));
      break;
    case 'BF16': {
      const tmp = new DataView(new ArrayBuffer(4));
      for (let i = 0; i < count; i++) {
        tmp.setUint32(0, view.getUint16(at + i * 2, true) << 16);
        out[i] = tmp.getFloat32(0);
      }
      break;
    }
    case 'I64':
      for (let i = 0; i < count; i++) out[i] = Number(view.getBigInt64(at + i * 8, true));
      break;
    case 'I32':
      for (let i = 0; i < count; i++) out[i] = view.getInt32(at + i * 4, true);
      break;
    case 'I16':
      for (let i = 0; i < count; i++) out[i] = view.getInt16(at + i * 2, true);
      break;
    case 'I8':
      for (let i = 0; i < count; i++) out[i] = view.getInt8(at + i);
      break;
    default: // U8, BOOL
      for (let i = 0; i < count; i++) out[i] = view.getUint8(at + i);
  }
  return out;
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * Math.pow(2, -14) * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * Math.pow(2, exp - 15) * (1 + frac / 1024);
}
