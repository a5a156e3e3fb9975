/**
 * PNG (pngjs) and JPEG (jpeg-js) files to channel-major bytes, grayscale or RGB. The format is told by
 * the file's signature, not its name. Node only (pngjs inflates with node's zlib). Grayscale is PIL's
 * `convert('L')` luminance (ITU-R 601-2 with its integer weights), so gray pixels stay exactly as stored;
 * alpha is dropped as `convert('RGB')` does.
 */
import { PNG } from 'pngjs';
import * as jpeg from 'jpeg-js';

export interface DecodedImage {
  width: number;
  height: number;
  /** width x height x 4 bytes, row-major RGBA. */
  rgba: Uint8Array;
}

const isPng = (b: Uint8Array) => b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
const isJpeg = (b: Uint8Array) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

/** Decodes a PNG or JPEG file's bytes; `file` names it in errors. */
export function decodeImage(bytes: Uint8Array, file: string): DecodedImage {
  if (isPng(bytes)) {
    try {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: png.width, height: png.height, rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    } catch (e) {
      throw new Error(`${file}: cannot decode this PNG image (${(e as Error).message})`);
    }
  }
  if (isJpeg(bytes)) {
    try {
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 512 });
      return { width: img.width, height: img.height, rgba: img.data };
    } catch (e) {
      throw new Error(`${file}: cannot decode this JPEG image (${(e as Error).message})`);
    }
  }
  throw new Error(
    `${file}: not a PNG or JPEG image (it starts with ${Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ') || 'nothing: the file is empty'})`,
  );
}

/** RGBA pixels to [channels, height, width] bytes: 1 channel (luminance) or 3 (RGB). */
export function toChannels(image: DecodedImage, channels: 1 | 3): Uint8Array {
  const { width, height, rgba } = image;
  const plane = width * height;
  const out = new Uint8Array(channels * plane);
  for (let p = 0; p < plane; p++) {
    const r = rgba[4 * p];
    const g = rgba[4 * p + 1];
    const b = rgba[4 * p + 2];
    if (channels === 1) out[p] = (r * 19595 + g * 38470 + b * 7471 + 0x8000) >>> 16;
    else {
      out[p] = r;
      out[plane + p] = g;
      out[2 * plane + p] = b;
    }
  }
  return out;
}
