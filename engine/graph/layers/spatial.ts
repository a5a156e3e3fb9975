/**
 * The arithmetic convolutions and pools share: a window of size k (dilated to d·(k−1)+1) sliding with
 * stride s over an axis padded by p on both sides, with the errors a user can act on.
 */
import { fmt, num, tuple } from './define';
import type { Args, Dim, Shape } from './types';

export const AXES: Record<number, string[]> = { 1: ['L'], 2: ['H', 'W'] };

/** The output length along one axis, or why there is none. */
export function windowOut(axis: string, len: number, k: number, s: number, p: number, d: number, ceil = false): number | string {
  const span = d * (k - 1) + 1;
  if (span > len + 2 * p) {
    const kernel = d > 1 ? `kernel ${k} (dilated to ${span})` : `kernel ${k}`;
    return `${kernel} is larger than the padded input along ${axis} (${len} + 2·${p} = ${len + 2 * p}): the output would have size 0`;
  }
  let out = (ceil ? Math.ceil((len + 2 * p - span) / s) : Math.floor((len + 2 * p - span) / s)) + 1;
  // As PyTorch: with ceil mode the last window must start inside the input or its left padding.
  if (ceil && (out - 1) * s >= len + p) out--;
  return out;
}

/** The spatial sizes of a batched [N, C, ...spatial] input of `nd` spatial dims, or why it is not one. */
export function spatialInput(op: string, x: Shape, nd: number): number[] | string {
  const layout = nd === 1 ? '[N, C, L]' : '[N, C, H, W]';
  if (x.length !== nd + 2)
    return `${op} takes ${layout} input, got ${fmt(x)}${x.length === nd + 1 ? ' (set the input shape to [C, ...] with the channels first)' : ''}`;
  const sizes = x.slice(2);
  if (sizes.some((d) => d === 'N')) return `${op} needs the spatial size of its input to be known, got ${fmt(x)}`;
  return sizes.map(num);
}

/** Padding per axis: numbers, or 'same' (as much as keeps the size at stride 1, extra at the end) and 'valid' (none). */
export function paddingOf(a: Args, nd: number): { begin: number[]; end: number[] } {
  const k = tuple(a.kernelSize, nd);
  const d = tuple(a.dilation ?? 1, nd);
  if (a.padding === 'same') {
    const total = k.map((ki, i) => d[i] * (ki - 1));
    return { begin: total.map((t) => Math.floor(t / 2)), end: total.map((t) => t - Math.floor(t / 2)) };
  }
  const p = a.padding === 'valid' ? Array.from({ length: nd }, () => 0) : tuple(a.padding ?? 0, nd);
  return { begin: p, end: p };
}

/** Output sizes of a sliding window with asymmetric padding (for 'same'); each axis's message on failure. */
export function slide(
  axes: string[],
  sizes: number[],
  k: number[],
  s: number[],
  pad: { begin: number[]; end: number[] },
  d: number[],
  ceil = false,
): number[] | string {
  const out: number[] = [];
  for (let i = 0; i < sizes.length; i++) {
    const total = pad.begin[i] + pad.end[i];
    // windowOut pads symmetrically: an odd total ('same' with an even kernel) is the same count of positions.
    const o =
      total % 2 === 0
        ? windowOut(axes[i], sizes[i], k[i], s[i], total / 2, d[i], ceil)
        : windowOut(axes[i], sizes[i] + 1, k[i], s[i], (total - 1) / 2, d[i], ceil);
    if (typeof o === 'string') return o;
    out.push(o);
  }
  return out;
}

export const withSpatial = (x: Shape, channels: Dim, sizes: number[]): Shape => [x[0], channels, ...sizes];
