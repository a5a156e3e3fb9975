/**
 * The decision boundary (2-D classifier) or fitted curve (1-D regression) as a PNG, drawn pixel by pixel
 * with pngjs, in the spirit of the tutorials' matplotlib plots: the model's prediction grid as filled
 * regions (Spectral colours), the data points on top.
 */
import { PNG } from 'pngjs';
import type { PlotGrid, PlotPoints } from '../protocol';

type RGB = [number, number, number];

/** matplotlib's Spectral end points and a few categorical colours for more classes. */
export const CLASS_COLORS: RGB[] = [
  [213, 62, 79],
  [50, 136, 189],
  [102, 194, 165],
  [253, 174, 97],
  [94, 79, 162],
  [230, 245, 152],
  [158, 1, 66],
  [171, 221, 164],
  [244, 109, 67],
  [254, 224, 139],
];

const mix = (a: RGB, b: RGB, t: number): RGB => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
const lighten = (c: RGB, t: number): RGB => mix(c, [255, 255, 255], t);

class Canvas {
  readonly png: PNG;
  constructor(
    readonly w: number,
    readonly h: number,
  ) {
    this.png = new PNG({ width: w, height: h });
    this.png.data.fill(255);
  }
  set(x: number, y: number, c: RGB): void {
    if (x < 0 || y < 0 || x >= this.w || y >= this.h) return;
    const k = (Math.floor(y) * this.w + Math.floor(x)) * 4;
    this.png.data[k] = c[0];
    this.png.data[k + 1] = c[1];
    this.png.data[k + 2] = c[2];
    this.png.data[k + 3] = 255;
  }
  disc(cx: number, cy: number, r: number, fill: RGB, edge: RGB): void {
    for (let y = Math.floor(cy - r - 1); y <= cy + r + 1; y++) {
      for (let x = Math.floor(cx - r - 1); x <= cx + r + 1; x++) {
        const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
        if (d <= r - 1) this.set(x, y, fill);
        else if (d <= r) this.set(x, y, edge);
      }
    }
  }
  line(x0: number, y0: number, x1: number, y1: number, c: RGB, width = 1): void {
    const steps = Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0)) * 2) + 1;
    for (let i = 0; i <= steps; i++) {
      const x = x0 + ((x1 - x0) * i) / steps;
      const y = y0 + ((y1 - y0) * i) / steps;
      for (let dy = -width / 2; dy <= width / 2; dy += 0.5) for (let dx = -width / 2; dx <= width / 2; dx += 0.5) this.set(x + dx, y + dy, c);
    }
  }
}

const SIZE = 480;
const MARGIN = 24;

function drawBoundary(grid: Extract<PlotGrid, { kind: 'boundary' }>, points: PlotPoints | null): Canvas {
  const cv = new Canvas(SIZE, SIZE);
  const inner = SIZE - 2 * MARGIN;
  for (let py = 0; py < inner; py++) {
    const r = Math.min(grid.height - 1, Math.floor((py / inner) * grid.height));
    for (let px = 0; px < inner; px++) {
      const c = Math.min(grid.width - 1, Math.floor((px / inner) * grid.width));
      const v = grid.values[r * grid.width + c];
      // Binary: shade by probability like contourf's Spectral map; multiclass: the predicted class.
      const color =
        grid.task === 'binary'
          ? lighten(mix(CLASS_COLORS[0], CLASS_COLORS[1], v >= 0.5 ? 1 : 0), 0.35 + 0.4 * (1 - Math.abs(v - 0.5) * 2))
          : lighten(CLASS_COLORS[v % CLASS_COLORS.length], 0.45);
      cv.set(MARGIN + px, MARGIN + py, color);
    }
  }
  if (points !== null && points.b !== null) {
    for (let i = 0; i < points.a.length; i++) {
      const px = MARGIN + ((points.a[i] - grid.x0) / (grid.x1 - grid.x0)) * inner;
      const py = MARGIN + ((grid.y1 - points.b[i]) / (grid.y1 - grid.y0)) * inner;
      const cls = Math.max(0, Math.round(points.label[i]));
      const fill = CLASS_COLORS[cls % CLASS_COLORS.length];
      cv.disc(px, py, 3.5, fill, [40, 40, 40]);
    }
  }
  frame(cv);
  return cv;
}

function drawCurve(grid: Extract<PlotGrid, { kind: 'curve' }>, points: PlotPoints | null): Canvas {
  const cv = new Canvas(SIZE, SIZE);
  const inner = SIZE - 2 * MARGIN;
  let lo = Infinity;
  let hi = -Infinity;
  const seen = (v: number) => {
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  };
  grid.ys.forEach(seen);
  points?.label.forEach(seen);
  if (!(hi > lo)) {
    lo -= 1;
    hi += 1;
  }
  const pad = (hi - lo) * 0.05;
  lo -= pad;
  hi += pad;
  const x0 = grid.xs[0];
  const x1 = grid.xs[grid.xs.length - 1];
  const X = (v: number) => MARGIN + ((v - x0) / (x1 - x0 || 1)) * inner;
  const Y = (v: number) => MARGIN + ((hi - v) / (hi - lo)) * inner;
  if (points !== null) for (let i = 0; i < points.a.length; i++) cv.disc(X(points.a[i]), Y(points.label[i]), 3, CLASS_COLORS[1], [40, 40, 40]);
  for (let i = 1; i < grid.xs.length; i++) cv.line(X(grid.xs[i - 1]), Y(grid.ys[i - 1]), X(grid.xs[i]), Y(grid.ys[i]), CLASS_COLORS[0], 2);
  frame(cv);
  return cv;
}

function frame(cv: Canvas): void {
  const e = SIZE - MARGIN;
  const grey: RGB = [90, 90, 90];
  cv.line(MARGIN, MARGIN, e, MARGIN, grey);
  cv.line(MARGIN, e, e, e, grey);
  cv.line(MARGIN, MARGIN, MARGIN, e, grey);
  cv.line(e, MARGIN, e, e, grey);
}

export function renderGridPng(grid: PlotGrid, points: PlotPoints | null): Uint8Array {
  const cv = grid.kind === 'boundary' ? drawBoundary(grid, points) : drawCurve(grid, points);
  return new Uint8Array(PNG.sync.write(cv.png));
}
