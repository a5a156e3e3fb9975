/**
 * Messages between the extension host's training manager and the webview's TrainingPanel. Defined once
 * here and imported by both sides (extension/training and webview/training). Typed arrays are sent as
 * plain number arrays: webview messages are JSON-serialized.
 *
 * Host -> webview: every message has `type` starting with 'training/'. Webview -> host likewise; the
 * editor's message router forwards any 'training/*' message to the training host's `handleMessage`
 * (extension/training/register.ts), which acts only on what `isPanelToHost` accepts.
 */
import type { MetricsRecord, RunInfo, RunResult } from '../../engine/train/protocol';
import type { CsvPreview } from '../../engine/train/preview';
import { MAX_PREDICT_ROWS } from '../../engine/train/inputs';

export type { MetricsRecord, RunInfo, RunResult, CsvPreview };

/** PlotGrid with arrays instead of typed arrays. */
export type GridMessage =
  | { kind: 'boundary'; step: number; task: 'binary' | 'multiclass'; x0: number; x1: number; y0: number; y1: number; width: number; height: number; values: number[]; classes: number }
  | { kind: 'curve'; step: number; xs: number[]; ys: number[] };

export interface PointsMessage {
  dims: 1 | 2;
  a: number[];
  b: number[] | null;
  label: number[];
}

export interface RunListItem {
  runDir: string;
  stamp: string;
  status: string;
  step: number;
  totalSteps: number;
  final: RunResult['final'];
}

export type HostToPanel =
  /** Sent when the panel opens or asks: the run in progress (if any) with its history so far. */
  | {
      type: 'training/state';
      running: boolean;
      /** While the run's data is still being read (info is null then): how far. */
      loading: { bytes: number; totalBytes: number } | null;
      info: (Omit<RunInfo, 'points'> & { points: PointsMessage | null }) | null;
      history: MetricsRecord[];
      grid: GridMessage | null;
      result: RunResult | null;
    }
  /** A run was accepted and its folder made; its data is being read ('started' follows). */
  | { type: 'training/starting' }
  | { type: 'training/loading'; bytes: number; totalBytes: number }
  | { type: 'training/started'; info: Omit<RunInfo, 'points'> & { points: PointsMessage | null } }
  | { type: 'training/metrics'; record: MetricsRecord }
  | { type: 'training/grid'; grid: GridMessage }
  | { type: 'training/result'; result: RunResult }
  | { type: 'training/error'; message: string }
  | { type: 'training/runs'; runs: RunListItem[] }
  | { type: 'training/compare'; a: { stamp: string; metrics: MetricsRecord[] }; b: { stamp: string; metrics: MetricsRecord[] } }
  | {
      type: 'training/evaluation';
      runDir: string;
      split: 'test' | 'validation' | 'training';
      loss: number;
      accuracy?: number;
      mse?: number;
      confusion?: number[][];
      /** Image data: class names by index, and each class's accuracy. */
      classNames?: string[];
      perClassAccuracy?: number[];
      samples: number;
    }
  /** rowNumbers and labels: when the inputs were rows of a CSV (data rows counted from 1). */
  | { type: 'training/prediction'; runDir: string; inputs: number[][]; rowNumbers?: number[]; labels?: number[]; engine: number[][]; onnx: number[][] | null; onnxError: string | null }
  /** `seq`: the request's, so the panel can drop an answer that a later request overtook. */
  | { type: 'training/csvPreview'; preview: CsvPreview; seq?: number };

export type PanelToHost =
  | { type: 'training/ready' }
  | { type: 'training/start' }
  | { type: 'training/stop' }
  | { type: 'training/resume'; runDir: string }
  | { type: 'training/listRuns' }
  | { type: 'training/compare'; a: string; b: string }
  | { type: 'training/evaluate'; runDir: string }
  /** inputs typed in the panel, or `rows` ("1-5, 9") of `file` (default: the run's own CSV). */
  | { type: 'training/predict'; runDir: string; inputs?: number[][]; rows?: string; file?: string }
  /** `section`: the training section as the panel has it now, to check the file's first rows against. */
  | { type: 'training/previewCsv'; path: string; section?: Record<string, unknown>; seq?: number };

const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const optional = (v: unknown, is: (x: unknown) => boolean) => v === undefined || is(v);
const isRecord = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSamples = (v: unknown) =>
  Array.isArray(v) && v.length <= MAX_PREDICT_ROWS && v.every((r) => Array.isArray(r) && r.every((x) => typeof x === 'number' && Number.isFinite(x)));

/** The host checks every panel message with this before acting on it: each field of each kind, not only the type. */
export function isPanelToHost(m: unknown): m is PanelToHost {
  if (!isRecord(m)) return false;
  const o = m as Record<string, unknown>;
  switch (o.type) {
    case 'training/ready':
    case 'training/start':
    case 'training/stop':
    case 'training/listRuns':
      return true;
    case 'training/resume':
    case 'training/evaluate':
      return isString(o.runDir);
    case 'training/compare':
      return isString(o.a) && isString(o.b);
    case 'training/predict':
      return isString(o.runDir) && optional(o.inputs, isSamples) && optional(o.rows, isString) && optional(o.file, isString) && (o.inputs !== undefined || o.rows !== undefined);
    case 'training/previewCsv':
      return isString(o.path) && optional(o.section, isRecord) && optional(o.seq, Number.isFinite);
    default:
      return false;
  }
}
