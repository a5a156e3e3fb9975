/**
 * The decision boundary (2-D classifiers) or fitted curve (1-D regression), drawn on a canvas from the
 * grid the training thread sends every half second, with the data points on top.
 */
import { useEffect, useRef } from 'react';
import type { GridMessage, PointsMessage } from '../../protocol/training';

const COLORS: [number, number, number][] = [
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
const rgb = (c: [number, number, number], a = 1) => `rgba(${c[0]},${c[1]},${c[2]},${a})`;

interface Props {
  grid: GridMessage | null;
  points: PointsMessage | null;
  size?: number;
}

function drawBoundary(ctx: CanvasRenderingContext2D, g: Extract<GridMessage, { kind: 'boundary' }>, p: PointsMessage | null, size: number): void {
  const img = ctx.createImageData(g.width, g.height);
  for (let i = 0; i < g.values.length; i++) {
    const v = g.values[i];
    const base = g.task === 'binary' ? COLORS[v >= 0.5 ? 1 : 0] : COLORS[v % COLORS.length];
    // Lighter near the boundary for binary probabilities, like contourf's shading.
    const t = g.task === 'binary' ? 0.35 + 0.4 * (1 - Math.abs(v - 0.5) * 2) : 0.45;
    img.data[i * 4] = base[0] + (255 - base[0]) * t;
    img.data[i * 4 + 1] = base[1] + (255 - base[1]) * t;
    img.data[i * 4 + 2] = base[2] + (255 - base[2]) * t;
    img.data[i * 4 + 3] = 255;
  }
  const off = document.createElement('canvas');
  off.width = g.width;
  off.height = g.height;
  off.getContext('2d')!.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(off, 0, 0, size, size);
  if (p?.b) {
    for (let i = 0; i < p.a.length; i++) {
      const x = ((p.a[i] - g.x0) / (g.x1 - g.x0)) * size;
      const y = ((g.y1 - p.b[i]) / (g.y1 - g.y0)) * size;
      ctx.beginPath();
      ctx.arc(x, y, 3, 0, Math.PI * 2);
      ctx.fillStyle = rgb(COLORS[Math.max(0, Math.round(p.label[i])) % COLORS.length]);
      ctx.fill();
      ctx.strokeStyle = 'rgba(40,40,40,0.9)';
      ctx.lineWidth = 0.7;
      ctx.stroke();
    }
  }
}

function drawCurve(ctx: CanvasRenderingContext2D, g: Extract<GridMessage, { kind: 'curve' }>, p: PointsMessage | null, size: number): void {
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, size, size);
  const ys = [...g.ys, ...(p?.label ?? [])].filter(Number.isFinite);
  let lo = Math.min(...ys);
  let hi = Math.max(...ys);
  if (!(hi > lo)) [lo, hi] = [lo - 1, hi + 1];
  const x0 = g.xs[0];
  const x1 = g.xs[g.xs.length - 1];
  const X = (v: number) => ((v - x0) / (x1 - x0 || 1)) * size;
  const Y = (v: number) => ((hi - v) / (hi - lo)) * size * 0.9 + size * 0.05;
  if (p) {
    ctx.fillStyle = rgb(COLORS[1], 0.8);
    for (let i = 0; i < p.a.length; i++) ctx.fillRect(X(p.a[i]) - 2, Y(p.label[i]) - 2, 4, 4);
  }
  ctx.beginPath();
  g.xs.forEach((x, i) => (i === 0 ? ctx.moveTo(X(x), Y(g.ys[i])) : ctx.lineTo(X(x), Y(g.ys[i]))));
  ctx.strokeStyle = rgb(COLORS[0]);
  ctx.lineWidth = 2;
  ctx.stroke();
}

export function BoundaryCanvas({ grid, points, size = 280 }: Props) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx || grid === null) return;
    if (grid.kind === 'boundary') drawBoundary(ctx, grid, points, size);
    else drawCurve(ctx, grid, points, size);
  }, [grid, points, size]);
  if (grid === null) return null;
  return (
    <figure className="nnb-boundary">
      <canvas ref={ref} width={size} height={size} data-testid="boundary-canvas" data-step={grid.step} />
      <figcaption>
        {grid.kind === 'boundary' ? 'Decision boundary' : 'Fitted curve'} at step {grid.step}
      </figcaption>
    </figure>
  );
}
