/**
 * The decision boundary (or fitted curve) of a model with one or two inputs, redrawn on a grid during the
 * run at most every `intervalMs` and at its last step; null for models it cannot be drawn for.
 */
import type { Module } from '../../nn';
import type { PlotGrid, PlotPoints, Task } from '../protocol';
import { computeGrid, planGrid, plotPoints, type GridSpec } from '../grid';
import type { RunRows } from '../run_data';

export class LiveGrid {
  private readonly spec: GridSpec | null;
  /** The grid drawn last (the final plot reuses it when it is of the last step). */
  last: PlotGrid | null = null;
  private lastAt = -Infinity;

  constructor(
    private readonly data: RunRows,
    task: Task,
    classes: number,
    logits: boolean,
    private readonly intervalMs: number,
  ) {
    this.spec = data.plot === null ? null : planGrid(data.plot.xTrain, task, classes, logits);
  }

  /** The training samples as the plot shows them. */
  points(): PlotPoints | null {
    const plot = this.data.plot;
    return this.spec === null || plot === null ? null : plotPoints(plot.xTrain, plot.yTrain, this.spec.dims);
  }

  /** A new grid when one is due at `now` (always at the last step); null when none is. */
  refresh(model: Module, step: number, now: number, last: boolean): PlotGrid | null {
    if (this.spec === null || (now - this.lastAt < this.intervalMs && !last)) return null;
    this.lastAt = now;
    return this.draw(this.spec, model, step);
  }

  /** The grid of the model at `step`, unless the last one drawn is already of that step. */
  atEnd(model: Module, step: number): PlotGrid | null {
    if (this.spec === null || (this.last !== null && this.last.step === step)) return null;
    return this.draw(this.spec, model, step);
  }

  private draw(spec: GridSpec, model: Module, step: number): PlotGrid {
    this.last = computeGrid(model, spec, step);
    return this.last;
  }
}
