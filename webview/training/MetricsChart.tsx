/**
 * Live training curves with uPlot: loss (train, validation) on one chart and accuracy or MSE on a second,
 * redrawn with setData as records arrive (uPlot redraws thousands of points in well under a frame).
 * A comparison overlays a second run's curves, dashed. Only series with data are drawn (no "val loss"
 * without a validation split), and the legend shows the latest values while the pointer is elsewhere
 * (uPlot's own legend reads "Value: --" then).
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { MetricsRecord } from '../../protocol/training';

export interface Series {
  label: string;
  pick: (r: MetricsRecord) => number | undefined;
  color: string;
  dash?: number[];
}

interface Props {
  title: string;
  records: MetricsRecord[];
  series: Series[];
  /** A second run drawn with the same series, dashed (Compare). */
  compare?: MetricsRecord[];
  height?: number;
  logScale?: boolean;
  /** A fixed y range (accuracy: 0 to 1), instead of one fitted to the data (which makes a flat 1.0 look like 0-2). */
  yRange?: [number, number];
}

/** uPlot wants one shared x array: the union of both runs' steps, gaps as null. */
function toData(records: MetricsRecord[], series: Series[], compare?: MetricsRecord[]): uPlot.AlignedData {
  const steps = [...new Set([...records.map((r) => r.step), ...(compare ?? []).map((r) => r.step)])].sort((a, b) => a - b);
  const index = new Map(steps.map((s, i) => [s, i]));
  const column = (rs: MetricsRecord[], s: Series) => {
    const col: (number | null)[] = new Array(steps.length).fill(null);
    for (const r of rs) {
      const v = s.pick(r);
      if (v !== undefined && Number.isFinite(v)) col[index.get(r.step)!] = v;
    }
    return col;
  };
  const cols = series.map((s) => column(records, s));
  const extra = compare ? series.map((s) => column(compare, s)) : [];
  return [steps, ...cols, ...extra] as uPlot.AlignedData;
}

const finite = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v);

/** The last value of a drawn column (what the legend shows while the pointer is off the chart). */
function lastOf(u: uPlot, sidx: number): number | null {
  const col = u.data[sidx] as (number | null | undefined)[];
  for (let i = col.length - 1; i >= 0; i--) {
    const v = col[i];
    if (v !== null && v !== undefined) return v;
  }
  return null;
}

const fmtValue = (v: number | null): string => (v === null ? '–' : Number.isInteger(v) ? String(v) : v.toPrecision(4));
/** uPlot's value callback: the hovered value, else the latest one. */
const legendValue = (u: uPlot, v: number | null, sidx: number): string => fmtValue(v ?? lastOf(u, sidx));

/** The element's text colour, and the same at low opacity for grid lines. */
function themeColors(el: HTMLElement): { fg: string; faint: string } {
  const fg = getComputedStyle(el).color || '#888';
  const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(fg);
  return { fg, faint: m === null ? 'rgba(128,128,128,0.2)' : `rgba(${m[1]},${m[2]},${m[3]},0.18)` };
}

export function MetricsChart({ title, records, series: all, compare, height = 180, logScale = false, yRange }: Props) {
  const series = all.filter((s) => records.some((r) => finite(s.pick(r))) || (compare ?? []).some((r) => finite(s.pick(r))));
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = `${series.map((s) => s.label).join('|')}|${compare ? 'cmp' : ''}|${logScale}|${yRange?.join(',') ?? ''}`;

  useEffect(() => {
    const el = host.current;
    if (el === null) return;
    const drawn: uPlot.Series[] = [
      { label: 'step', value: legendValue },
      ...series.map((s) => ({ label: s.label, stroke: s.color, width: 1.5, dash: s.dash, spanGaps: true, value: legendValue })),
      ...(compare
        ? series.map((s) => ({ label: `${s.label} (other)`, stroke: s.color, width: 1, dash: [6, 4], spanGaps: true, value: legendValue }))
        : []),
    ];
    // uPlot draws axes on a canvas, which cannot resolve CSS variables: the theme's text colour is read
    // from the element (it inherits --vscode-foreground), so tick labels show on dark themes too.
    const { fg, faint } = themeColors(el);
    const axis = { stroke: fg, grid: { stroke: faint, width: 1 }, ticks: { stroke: faint, width: 1 } };
    const opts: uPlot.Options = {
      title,
      width: Math.max(240, el.clientWidth),
      height,
      series: drawn,
      scales: { x: { time: false }, y: logScale ? { distr: 3 } : yRange ? { range: yRange } : {} },
      axes: [{ label: 'step', ...axis }, axis],
      legend: { show: true },
    };
    const u = new uPlot(opts, toData(records, series, compare), el);
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: Math.max(240, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
    // Rebuilt only when the set of series changes; data updates go through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shape, title, height]);

  useEffect(() => {
    const u = plot.current;
    if (u === null) return;
    u.setData(toData(records, series, compare));
    // The legend's latest values follow the data (uPlot refreshes it only when the pointer moves).
    if (u.cursor.idx === null || u.cursor.idx === undefined) u.setLegend({ idxs: u.series.map(() => null) });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [records, compare]);

  return <div ref={host} className="nnb-metrics-chart" data-testid={`chart-${title}`} data-points={records.length} />;
}
