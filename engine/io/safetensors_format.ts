/**
 * The safetensors format, byte for byte (browser-safe, no file system): an 8-byte little-endian header
 * length, a JSON header `{ "__metadata__": {...}, name: { dtype, shape, data_offsets } }` padded with
 * spaces to a multiple of 8, then the raw little-endian tensor data. Files written here load with the
 * `safetensors` Python package straight into a PyTorch model with the same state-dict keys.
 */
import { Tensor } from '../tensor';
import { formatShape, sizeOf } from '../shape';
import { singleQuoted as named } from '../quote';

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
 * The keys of the header's top-level object in the order written, duplicates kept (JSON.parse keeps the
 * last of two equal keys without a word). `json` is known to parse.
 */
function topLevelKeys(json: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '"') {
      let j = i + 1;
      while (json[j] !== '"') j += json[j] === '\\' ? 2 : 1;
      if (depth === 1 && expectKey) keys.push(JSON.parse(json.slice(i, j + 1)) as string);
      expectKey = false;
      i = j;
    } else if (c === '{' || c === '[') {
      depth++;
      expectKey = c === '{' && depth === 1;
    } else if (c === '}' || c === ']') depth--;
    else if (c === ',' && depth === 1) expectKey = true;
  }
  return keys;
}

/**
 * Decodes a safetensors file. Float32 data is copied bit for bit; other dtypes (F64, F16, BF16, integer,
 * BOOL) are converted to float32 so files saved by PyTorch in any of them load. `name` labels errors.
 * What the format forbids is refused as the reference reader (the `safetensors` crate) refuses it: a
 * header that is not a JSON object starting with `{`, metadata other than strings, a key written twice,
 * an entry that is not { dtype, shape, data_offsets: [begin, end] }, and data with holes between
 * tensors or bytes after the last one.
 */
export function decodeSafetensors(bytes: Uint8Array, name = 'safetensors data'): { tensors: Record<string, Tensor>; metadata: SafetensorsMetadata } {
  if (bytes.length < 8) throw new Error(`${name}: truncated file (${bytes.length} bytes, not even the 8-byte header length)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > bytes.length - 8) {
    throw new Error(
      `${name}: truncated or not a safetensors file (header says ${headerLength} bytes, the file has ${bytes.length - 8} after the length)`,
    );
  }
  let text: string;
  let header: Record<string, unknown>;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
    header = JSON.parse(text);
  } catch (e) {
    throw new Error(`${name}: the header is not valid JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw new Error(`${name}: the header is not a JSON object`);
  if (!text.startsWith('{'))
    throw new Error(
      `${name}: the header must start with '{' (it starts with ${JSON.stringify(text.slice(0, 8))}): not a safetensors file as written by the format's writers`,
    );
  const seen = new Set<string>();
  for (const key of topLevelKeys(text)) {
    if (seen.has(key))
      throw new Error(
        `${name}: the header names ${key === '__metadata__' ? '__metadata__' : `tensor ${named(key)}`} twice (which one is meant is undefined)`,
      );
    seen.add(key);
  }
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const hasMetadata = Object.prototype.hasOwnProperty.call(header, '__metadata__');
  const metadata = (hasMetadata ? header.__metadata__ : {}) as SafetensorsMetadata;
  // The spec allows only string-to-string metadata; anything else (null too) means a corrupt or foreign header.
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata) || Object.values(metadata).some((v) => typeof v !== 'string')) {
    throw new Error(`${name}: __metadata__ must map strings to strings, got ${JSON.stringify(header.__metadata__).slice(0, 120)}`);
  }
  // Own keys only, in a map without a prototype: a tensor named "constructor" or "__proto__" is a tensor.
  const tensors = Object.create(null) as Record<string, Tensor>;
  const spans: [number, number, string][] = [];
  for (const [key, raw] of Object.entries(header)) {
    if (key === '__metadata__') continue;
    const tensor = `tensor ${named(key)}`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
      throw new Error(`${name}: ${tensor} must be an object { "dtype", "shape", "data_offsets" }, got ${JSON.stringify(raw)}`);
    const e = raw as Partial<HeaderEntry>;
    const width = typeof e.dtype === 'string' && Object.prototype.hasOwnProperty.call(BYTES, e.dtype) ? BYTES[e.dtype] : undefined;
    if (width === undefined) throw new Error(`${name}: ${tensor} has unsupported dtype ${JSON.stringify(e.dtype)?.slice(0, 60)}`);
    if (!Array.isArray(e.shape) || e.shape.some((d) => !Number.isSafeInteger(d) || d < 0))
      throw new Error(`${name}: ${tensor} has an invalid shape ${JSON.stringify(e.shape)?.slice(0, 120)}`);
    const offsets: unknown = e.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
      throw new Error(`${name}: ${tensor} needs "data_offsets": [begin, end] (two whole numbers), got ${JSON.stringify(offsets)?.slice(0, 120)}`);
    }
    const [begin, end] = offsets as [number, number];
    const count = sizeOf(e.shape);
    if (begin > end || end > dataLength || end - begin !== count * width) {
      throw new Error(
        `${name}: ${tensor} (${e.dtype} ${formatShape(e.shape)}, ${count * width} bytes) has data offsets [${begin}, ${end}] outside the ${dataLength} data bytes or of the wrong length`,
      );
    }
    spans.push([begin, end, key]);
  }
  // The data is the tensors back to back: no overlap, no hole, nothing after the last one.
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let at = 0;
  for (let i = 0; i < spans.length; i++) {
    const [begin, end, key] = spans[i];
    if (begin < at) throw new Error(`${name}: tensors ${named(spans[i - 1][2])} and ${named(key)} overlap`);
    if (begin > at)
      throw new Error(`${name}: ${begin - at} bytes of the data belong to no tensor (a hole before tensor ${named(key)}, at data offset ${at})`);
    at = end;
  }
  if (at !== dataLength)
    throw new Error(`${name}: ${dataLength - at} bytes after the last tensor's data belong to no tensor (the file is longer than its header says)`);
  for (const [begin, , key] of spans) {
    const e = header[key] as HeaderEntry;
    const t = new Tensor(convert(view, dataStart + begin, sizeOf(e.shape), e.dtype), e.shape);
    // An int64 tensor stays int64 when saved again (a state dict loaded and re-saved keeps PyTorch's dtypes).
    if (e.dtype === 'I64') t.dtype = 'int64';
    tensors[key] = t;
  }
  // In the header's order, as before (a state dict's order), not the data's.
  const ordered = Object.create(null) as Record<string, Tensor>;
  for (const key of Object.keys(header)) if (key !== '__metadata__') ordered[key] = tensors[key];
  return { tensors: ordered, metadata };
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
