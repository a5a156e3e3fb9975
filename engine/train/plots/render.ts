/**
 * The files of a run's plots/ folder, rendered at the end of a run from its metrics and last grid. Each
 * plot is drawn on its own, so one that fails (e.g. vega missing from a broken install) costs only itself.
 */
import type { MetricsRecord, PlotGrid, PlotPoints } from '../protocol';
import { renderLossSvg } from './loss_svg';
import { renderGridPng } from './boundary_png';

export interface PlotFile {
  name: string;
  bytes: Uint8Array;
}

export async function renderPlots(
  records: readonly MetricsRecord[],
  grid: PlotGrid | null,
  points: PlotPoints | null,
  title: string,
): Promise<{ files: PlotFile[]; errors: string[] }> {
  const files: PlotFile[] = [];
  const errors: string[] = [];
  if (grid !== null) {
    const name = grid.kind === 'boundary' ? 'decision_boundary.png' : 'fitted_curve.png';
    try {
      files.push({ name, bytes: renderGridPng(grid, points) });
    } catch (e) {
      errors.push(`${name}: ${(e as Error).message}`);
    }
  }
  if (records.length > 0) {
    try {
      files.push({ name: 'loss.svg', bytes: new TextEncoder().encode(await renderLossSvg(records, `${title}: training curves`)) });
    } catch (e) {
      errors.push(`loss.svg: ${(e as Error).message}`);
    }
  }
  return { files, errors };
}
