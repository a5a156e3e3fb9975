/**
 * The model's predictions over the data's range, like the tutorials' plot_decision_boundary: a grid for
 * 2-D inputs (classifiers), a curve for 1-D inputs (regression). One small forward pass; the host draws it.
 */
import { Tensor } from '../tensor';
import { noGrad } from '../autograd';
import type { Module } from '../nn';
import type { PlotGrid, PlotPoints, Task } from './protocol';
import { predictedClass } from './evaluate';

export interface GridSpec {
  dims: 1 | 2;
  task: Task;
  classes: number;
  /** Model outputs are logits (BCEWithLogitsLoss/CrossEntropyLoss) rather than probabilities. */
  logits: boolean;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  input: Tensor;
}

const GRID = 80;
const CURVE = 200;
const MAX_POINTS = 2000;

/** Decides whether a plot makes sense (2 features with a classifier, 1 feature with 1 output) and fixes its range. */
export function planGrid(x: Tensor, task: Task, classes: number, logits: boolean): GridSpec | null {
  const features = x.shape.slice(1).reduce((a, b) => a * b, 1);
  const n = x.shape[0];
  const inputShape = x.shape.slice(1);
  const range = (col: number) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = x.data[i * features + col];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    // The tutorial pads by 1 on each side; scale the pad for data on other scales.
    const pad = Math.max((hi - lo) * 0.1, 1e-3);
    return [lo - pad, hi + pad];
  };
  if (features === 2 && task !== 'regression') {
    const [x0, x1] = range(0);
    const [y0, y1] = range(1);
    const data = new Float32Array(GRID * GRID * 2);
    for (let r = 0; r < GRID; r++) {
      const yv = y1 - ((r + 0.5) / GRID) * (y1 - y0);
      for (let c = 0; c < GRID; c++) {
        const k = (r * GRID + c) * 2;
        data[k] = x0 + ((c + 0.5) / GRID) * (x1 - x0);
        data[k + 1] = yv;
      }
    }
    return { dims: 2, task, classes, logits, x0, x1, y0, y1, input: new Tensor(data, [GRID * GRID, ...inputShape]) };
  }
  if (features === 1 && task === 'regression' && classes === 1) {
    const [x0, x1] = range(0);
    const data = new Float32Array(CURVE);
    for (let i = 0; i < CURVE; i++) data[i] = x0 + (i / (CURVE - 1)) * (x1 - x0);
    return { dims: 1, task, classes, logits, x0, x1, y0: 0, y1: 0, input: new Tensor(data, [CURVE, ...inputShape]) };
  }
  return null;
}

export function computeGrid(model: Module, spec: GridSpec, step: number): PlotGrid {
  const wasTraining = model.training;
  model.eval();
  try {
    const out = noGrad(() => model.forward(spec.input)).data;
    if (spec.dims === 1) return { kind: 'curve', step, xs: spec.input.data.slice(), ys: out.slice() };
    const cells = GRID * GRID;
    const width = out.length / cells;
    const values = new Float32Array(cells);
    if (spec.task === 'binary' && width === 1) {
      for (let i = 0; i < cells; i++) values[i] = spec.logits ? 1 / (1 + Math.exp(-out[i])) : out[i];
    } else {
      for (let i = 0; i < cells; i++) values[i] = predictedClass(out, i, width, spec.logits);
    }
    const task = spec.task === 'binary' && width === 1 ? 'binary' : 'multiclass';
    return {
      kind: 'boundary',
      step,
      task,
      x0: spec.x0,
      x1: spec.x1,
      y0: spec.y0,
      y1: spec.y1,
      width: GRID,
      height: GRID,
      values,
      classes: spec.classes,
    };
  } finally {
    model.train(wasTraining);
  }
}

/** The data points to draw under the grid; an evenly spaced sample when the set is large. */
export function plotPoints(x: Tensor, y: Tensor, dims: 1 | 2): PlotPoints {
  const n = x.shape[0];
  const features = x.shape.slice(1).reduce((a, b) => a * b, 1);
  const yRow = y.shape.slice(1).reduce((a, b) => a * b, 1);
  const m = Math.min(n, MAX_POINTS);
  const a = new Float32Array(m);
  const b = dims === 2 ? new Float32Array(m) : null;
  const label = new Float32Array(m);
  for (let j = 0; j < m; j++) {
    const i = Math.floor((j * n) / m);
    a[j] = x.data[i * features];
    if (b !== null) b[j] = x.data[i * features + 1];
    label[j] = y.data[i * yRow];
  }
  return { dims, a, b, label };
}
