/** Engine events to webview messages: typed arrays become plain arrays (webview messages are JSON). */
import type { PlotGrid, PlotPoints, RunInfo } from '../../engine/train/protocol';
import type { GridMessage, InfoMessage, PointsMessage } from '../../protocol/training';

export function gridMessage(g: PlotGrid): GridMessage {
  return g.kind === 'boundary' ? { ...g, values: Array.from(g.values) } : { kind: 'curve', step: g.step, xs: Array.from(g.xs), ys: Array.from(g.ys) };
}

export function pointsMessage(p: PlotPoints | null): PointsMessage | null {
  return p === null ? null : { dims: p.dims, a: Array.from(p.a), b: p.b === null ? null : Array.from(p.b), label: Array.from(p.label) };
}

export function infoMessage(info: RunInfo): InfoMessage {
  return { ...info, points: pointsMessage(info.points) };
}
