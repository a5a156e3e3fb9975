/**
 * Messages between the extension host's training manager (extension/training) and the webview's
 * training panel (webview/training). Every one has a `type` starting with 'training/'.
 *
 * Panel → host is a zod schema, parsed by the host's one router before the training manager acts: each
 * field of each kind, not only the type. Host → panel is typed only: the host builds those from the
 * engine's run records (engine/train/protocol.ts, their one definition, since engine/ imports nothing
 * from here), whose types the panel shares. Typed arrays are sent as plain number arrays (webview
 * messages are JSON-serialized): those message types derive from the records through `AsArrays`.
 */
import { z } from 'zod';
import type { MetricsRecord, PlotGrid, PlotPoints, RunInfo, RunResult } from '../engine/train/protocol';
import type { CsvPreview } from '../engine/train/preview';
import { MAX_PREDICT_ROWS } from '../engine/train/inputs';

export type { MetricsRecord, RunInfo, RunResult, CsvPreview };

/** A run record as JSON carries it: each typed array a plain number array (distributes over unions). */
type AsArrays<T> = { [K in keyof T]: T[K] extends Float32Array ? number[] : T[K] extends Float32Array | null ? number[] | null : T[K] };

/** PlotGrid with arrays instead of typed arrays. */
export type GridMessage = AsArrays<PlotGrid>;

export type PointsMessage = AsArrays<PlotPoints>;

/** RunInfo with its data points as arrays. */
export type InfoMessage = Omit<RunInfo, 'points'> & { points: PointsMessage | null };

/** An image for a canvas: its [C, H, W] bytes (1 or 3 channels) as base64, a quarter of RGBA's size for gray images. */
export interface ImageMessage {
  width: number;
  height: number;
  channels: number;
  pixels: string;
}

/** What the data section previews of an image set: samples with their labels, and the images per class. */
export interface ImagePreviewMessage {
  describe: string;
  classNames: string[];
  classCounts: number[];
  /** Images in the test set, when the data has one. */
  testCount: number | null;
  samples: { index: number; label: number; image: ImageMessage }[];
}

export interface RunListItem {
  runDir: string;
  stamp: string;
  status: string;
  step: number;
  totalSteps: number;
  final: RunResult['final'];
  /** Said beside its Resume button: a diverged run resumed will likely diverge again (engine/train/runs.ts `resumeWarning`). */
  resumeWarning?: string;
}

export type HostToPanel =
  /** Sent when the panel opens or asks: the run in progress (if any) with its history so far. */
  | {
      type: 'training/state';
      running: boolean;
      /** While the run's data is still being read (info is null then): how far. */
      loading: { bytes: number; totalBytes: number } | null;
      info: InfoMessage | null;
      history: MetricsRecord[];
      grid: GridMessage | null;
      result: RunResult | null;
    }
  /** A run was accepted and its folder made; its data is being read ('started' follows). */
  | { type: 'training/starting' }
  | { type: 'training/loading'; bytes: number; totalBytes: number }
  | { type: 'training/started'; info: InfoMessage }
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
      /** Image data: the worst misclassified images of the split, least probability on the true class first. */
      worst?: { index: number; truth: number; predicted: number; trueProbability: number; predictedProbability: number; image: ImageMessage }[];
    }
  /** rowNumbers and labels: when the inputs were rows of a CSV (data rows counted from 1). */
  | {
      type: 'training/prediction';
      runDir: string;
      inputs: number[][];
      rowNumbers?: number[];
      labels?: number[];
      engine: number[][];
      onnx: number[][] | null;
      onnxError: string | null;
    }
  /** `seq`: the request's, so the panel can drop an answer that a later request overtook. */
  | { type: 'training/csvPreview'; preview: CsvPreview; seq?: number }
  /** Reading an image set for the data section (preview or normalization): how far, for request `seq`. */
  | { type: 'training/imageProgress'; seq: number; bytes: number; totalBytes: number }
  /** The image preview for request `seq`, or why there is none. */
  | { type: 'training/imagePreview'; seq: number; preview: ImagePreviewMessage | null; error: string | null }
  /** Mean and std per channel of the training images before the normalize step, for request `seq`. */
  | { type: 'training/normalization'; seq: number; mean: number[]; std: number[] }
  | { type: 'training/normalizationError'; seq: number; message: string }
  /** Class probabilities of one image file from the engine and from onnxruntime. */
  | {
      type: 'training/imagePrediction';
      runDir: string;
      name: string;
      image: ImageMessage;
      classNames: string[];
      engine: number[];
      onnx: number[] | null;
      onnxError: string | null;
      maxAbsDiff: number | null;
    };

const name = z.string().min(1);
/** A predicted image file's size limit (base64 of 16 MB): larger is not a picture to classify. */
export const MAX_IMAGE_BASE64 = Math.ceil((16 << 20) / 3) * 4;
const samples = z.array(z.array(z.number().finite())).max(MAX_PREDICT_ROWS);
const message = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) => z.object({ type: z.literal(type), ...shape });

export const PanelToHostSchema = z
  .discriminatedUnion('type', [
    message('training/ready', {}),
    message('training/start', {}),
    message('training/stop', {}),
    message('training/resume', { runDir: name }),
    message('training/listRuns', {}),
    message('training/compare', { a: name, b: name }),
    /** `quiet`: asked by the panel itself (an image run just completed), so the Output panel is not brought up. */
    message('training/evaluate', { runDir: name, quiet: z.boolean().optional() }),
    /** inputs typed in the panel, or `rows` ("1-5, 9") of `file` (default: the run's own CSV). */
    message('training/predict', { runDir: name, inputs: samples.optional(), rows: name.optional(), file: name.optional() }),
    /** `section`: the training section as the panel has it now, to check the file's first rows against. */
    message('training/previewCsv', { path: name, section: z.record(z.unknown()).optional(), seq: z.number().finite().optional() }),
    /** Reads the image data `section` names (the section as the panel has it) for a preview grid and class counts. */
    message('training/previewImages', { section: z.record(z.unknown()), seq: z.number().int() }),
    /** Computes the mean and std of the training images that `section` names as they reach transform `index` (default: its first normalize step). */
    message('training/computeNormalization', { section: z.record(z.unknown()), seq: z.number().int(), index: z.number().int().min(0).optional() }),
    /** A picked or dropped image file (`bytes`: its contents as base64) through a run's model. */
    message('training/predictImage', { runDir: name, name, bytes: z.string().min(1).max(MAX_IMAGE_BASE64) }),
  ])
  .superRefine((m, ctx) => {
    if (m.type === 'training/predict' && m.inputs === undefined && m.rows === undefined)
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'a prediction needs inputs or rows' });
  });
export type PanelToHost = z.infer<typeof PanelToHostSchema>;

/** The host's training manager acts only on what this accepts (the editor's router has parsed it already; kept for direct callers). */
export const isPanelToHost = (m: unknown): m is PanelToHost => PanelToHostSchema.safeParse(m).success;
