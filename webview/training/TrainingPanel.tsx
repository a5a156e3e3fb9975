/**
 * The training side panel: the settings form (collapsed while a run trains, so the live view is in
 * sight), Train / Stop, live charts (loss and validation loss, accuracy or MSE), steps/s with elapsed and
 * remaining time, the decision boundary refreshing during the run, the model's past runs (resume,
 * evaluate, compare, predict), and Evaluate / Predict results.
 *
 * It talks to the extension only through `post` (PanelToHost) and the messages the host sends, which the
 * mounting code passes in through `subscribe` (see index.ts).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type {
  CsvPreview,
  GridMessage,
  HostToPanel,
  MetricsRecord,
  PanelToHost,
  PointsMessage,
  RunListItem,
  RunResult,
} from '../../protocol/training';
import { ConfigForm } from './ConfigForm';
import { InvalidFieldsContext, type ReportInvalid } from './fields';
import { asRecord, checkSection, summarizeSection, type Section } from './checks';
import { isImageDataSpec } from '../../engine/data/image_specs';
import { LOSS_NAMES, type LossName } from '../../engine/graph/training';
import { MetricsChart, type Series } from './MetricsChart';
import { BoundaryCanvas } from './BoundaryCanvas';
import { RunsList } from './RunsList';
import type { ImageDataState } from './ImageDataFields';

export interface TrainingPanelProps {
  /** Sends a message to the extension host. */
  post: (msg: PanelToHost) => void;
  /** Registers a handler for host messages whose type starts with 'training/'; returns the unsubscribe. */
  subscribe: (handler: (msg: HostToPanel) => void) => () => void;
  /** The document's training section as it is now (after every edit, the editor passes the new one). */
  training: Section | undefined;
  /** Applies a new training section through the editor's edit path (a WorkspaceEdit on the document). */
  onEditTraining: (next: Section) => void;
  /** Values per sample the model outputs (shape inference), for the loss checks. */
  outputSize?: number;
}

const isLoss = (n: string): n is LossName => (LOSS_NAMES as string[]).includes(n);
/** The section's loss by name (its short form or `{ type }`), when it is one the grammar knows. */
const lossName = (section: Section): LossName | undefined => {
  const t = typeof section.loss === 'string' ? section.loss : asRecord(section.loss).type;
  return typeof t === 'string' && isLoss(t) ? t : undefined;
};
const isImageData = (section: Section | undefined) => isImageDataSpec({ kind: String(asRecord(section?.data).kind) });
const fmtTime = (s: number) =>
  !Number.isFinite(s)
    ? '–'
    : s >= 3600
      ? `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`
      : s >= 60
        ? `${Math.floor(s / 60)}m ${Math.floor(s % 60)}s`
        : `${s.toFixed(1)}s`;
const mb = (b: number) => (b / 1e6).toFixed(1);

const LOSS: Series[] = [
  { label: 'loss', pick: (r) => r.loss, color: '#d53e4f' },
  { label: 'val loss', pick: (r) => r.valLoss, color: '#3288bd' },
];
const ACC: Series[] = [
  { label: 'accuracy', pick: (r) => r.accuracy, color: '#d53e4f' },
  { label: 'val accuracy', pick: (r) => r.valAccuracy, color: '#3288bd' },
];
const MSE: Series[] = [
  { label: 'MSE', pick: (r) => r.mse, color: '#d53e4f' },
  { label: 'val MSE', pick: (r) => r.valMse, color: '#3288bd' },
];

type Info = Extract<HostToPanel, { type: 'training/started' }>['info'];
type Compare = Extract<HostToPanel, { type: 'training/compare' }>;

export function TrainingPanel({ post, subscribe, training, onEditTraining, outputSize }: TrainingPanelProps) {
  const [running, setRunning] = useState(false);
  const [loading, setLoading] = useState<{ bytes: number; totalBytes: number } | null>(null);
  const [info, setInfo] = useState<Info | null>(null);
  const [history, setHistory] = useState<MetricsRecord[]>([]);
  const [grid, setGrid] = useState<GridMessage | null>(null);
  const [points, setPoints] = useState<PointsMessage | null>(null);
  const [result, setResult] = useState<RunResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [runs, setRuns] = useState<RunListItem[]>([]);
  const [compare, setCompare] = useState<Compare | null>(null);
  const [evaluation, setEvaluation] = useState<Extract<HostToPanel, { type: 'training/evaluation' }> | null>(null);
  const [prediction, setPrediction] = useState<Extract<HostToPanel, { type: 'training/prediction' }> | null>(null);
  const [csvPreview, setCsvPreview] = useState<CsvPreview | null>(null);
  const previewSeq = useRef(0);
  // Image data: the host's answers, each tagged with its request's number (the section decides which is current).
  const [imagePreview, setImagePreview] = useState<ImageDataState['preview']>(null);
  const [imageProgress, setImageProgress] = useState<ImageDataState['progress']>(null);
  const [normalization, setNormalization] = useState<ImageDataState['normalization']>(null);
  const [imagePrediction, setImagePrediction] = useState<Extract<HostToPanel, { type: 'training/imagePrediction' }> | null>(null);
  const imageSeq = useRef(0);
  const sectionRef = useRef(training);
  sectionRef.current = training;
  const [settingsOpen, setSettingsOpen] = useState(true);
  // Fields whose text is not a valid value (by field id): the document still holds the old value, so a
  // run now would train with a setting the user has not asked for.
  const [invalidFields, setInvalidFields] = useState<Record<string, string>>({});
  const reportInvalid = useCallback<ReportInvalid>((id, problem) => {
    setInvalidFields((m) => {
      if ((m[id] ?? null) === problem) return m;
      const next = { ...m };
      if (problem === null) delete next[id];
      else next[id] = problem;
      return next;
    });
  }, []);

  // The host is asked for the current state once per mount, even if the mounting code passes a new
  // `subscribe` function on every render.
  const announced = useRef(false);
  useEffect(() => {
    const clearRun = () => {
      setInfo(null);
      setLoading(null);
      setHistory([]);
      setGrid(null);
      setPoints(null);
      setResult(null);
      setError(null);
      setCompare(null);
    };
    const off = subscribe((m) => {
      switch (m.type) {
        case 'training/state':
          setRunning(m.running);
          setLoading(m.loading);
          setInfo(m.info);
          setPoints(m.info?.points ?? null);
          setHistory(m.history);
          setGrid(m.grid);
          setResult(m.result);
          if (m.running) setSettingsOpen(false);
          break;
        case 'training/starting':
          clearRun();
          setRunning(true);
          // The live view matters now; the settings stay one click away.
          setSettingsOpen(false);
          break;
        case 'training/loading':
          setLoading({ bytes: m.bytes, totalBytes: m.totalBytes });
          break;
        case 'training/started':
          clearRun();
          setRunning(true);
          setInfo(m.info);
          setPoints(m.info.points);
          // A resumed run's curve so far (empty for a new run).
          setHistory(m.info.history);
          break;
        case 'training/metrics':
          setHistory((h) => [...h, m.record]);
          break;
        case 'training/grid':
          setGrid(m.grid);
          break;
        case 'training/result':
          setRunning(false);
          setLoading(null);
          setResult(m.result);
          // An image classifier's run ends with its evaluation: the confusion matrix and the worst test images.
          if (m.result.status === 'completed' && isImageData(sectionRef.current))
            post({ type: 'training/evaluate', runDir: m.result.runDir, quiet: true });
          break;
        case 'training/error':
          setError(m.message);
          break;
        case 'training/runs':
          setRuns(m.runs);
          break;
        case 'training/compare':
          setCompare(m);
          break;
        case 'training/evaluation':
          setEvaluation(m);
          break;
        case 'training/prediction':
          setPrediction(m);
          break;
        case 'training/imageProgress':
          setImageProgress(m);
          break;
        case 'training/imagePreview':
          setImagePreview(m);
          break;
        case 'training/normalization':
        case 'training/normalizationError':
          setNormalization(m);
          break;
        case 'training/imagePrediction':
          setImagePrediction(m);
          break;
        case 'training/csvPreview':
          // Answers can arrive out of order (a missing file answers faster than a big one is read):
          // only the latest request's counts, or a path typed half-way could show its problem.
          if (m.seq === undefined || m.seq === previewSeq.current) setCsvPreview(m.preview);
          break;
      }
    });
    if (!announced.current) {
      announced.current = true;
      post({ type: 'training/ready' });
    }
    return off;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [subscribe]);

  const section = training ?? {};
  const problems = useMemo(
    () => [
      ...Object.values(invalidFields).map((p) => `${p}: fix the field (the document keeps its last valid value)`),
      ...checkSection(training ?? {}, outputSize, csvPreview?.problems ?? []),
    ],
    [invalidFields, training, outputSize, csvPreview],
  );
  // A comparison is shown while no run is training; a run's live curves take the charts back.
  const shown = compare !== null && !running ? compare.a.metrics : history;
  const other = compare !== null && !running ? compare.b.metrics : undefined;
  const last = history[history.length - 1];
  const classifier = shown.some((r) => r.accuracy !== undefined);
  const progress = info && last ? last.step / info.totalSteps : 0;
  const remaining = running ? fmtTime(last?.etaSec ?? NaN) : result?.status === 'completed' ? '0s' : '–';

  return (
    <div className="nnb-training" data-testid="training-panel" data-running={running}>
      <details className="nnb-settings" open={settingsOpen} onToggle={(e) => setSettingsOpen((e.currentTarget as HTMLDetailsElement).open)}>
        <summary data-testid="training-settings">
          Training settings <span className="nnb-note">{summarizeSection(section)}</span>
        </summary>
        <InvalidFieldsContext.Provider value={reportInvalid}>
          <ConfigForm
            section={section}
            onChange={onEditTraining}
            outputSize={outputSize}
            csvPreview={csvPreview}
            onPreviewCsv={(p, s) => post({ type: 'training/previewCsv', path: p, section: s, seq: ++previewSeq.current })}
            images={{
              preview: imagePreview,
              progress: imageProgress,
              normalization,
              request: (what, s, index) => {
                const seq = ++imageSeq.current;
                post(
                  what === 'preview'
                    ? { type: 'training/previewImages', section: s, seq }
                    : { type: 'training/computeNormalization', section: s, seq, ...(index === undefined ? {} : { index }) },
                );
                return seq;
              },
            }}
            disabled={running}
          />
        </InvalidFieldsContext.Provider>
      </details>
      {problems.length > 0 && (
        <ul className="nnb-problems" data-testid="training-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <div className="nnb-actions">
        {!running && (
          <button
            data-testid="train-button"
            disabled={problems.length > 0}
            title={problems[0] ?? 'Train the model'}
            onClick={() => post({ type: 'training/start' })}
          >
            Train
          </button>
        )}
        {running && (
          <button data-testid="stop-button" onClick={() => post({ type: 'training/stop' })}>
            Stop
          </button>
        )}
      </div>
      {error !== null && (
        <div className="nnb-error" data-testid="training-error">
          {error}
        </div>
      )}
      {running && info === null && (
        <div className="nnb-loading" data-testid="training-loading">
          {loading === null
            ? 'Preparing the run…'
            : `Reading the data: ${Math.floor((100 * loading.bytes) / Math.max(1, loading.totalBytes))}% (${mb(loading.bytes)} of ${mb(loading.totalBytes)} MB)`}
        </div>
      )}
      {(info !== null || last !== undefined) && (
        <div className="nnb-stats" data-testid="training-stats">
          <progress max={1} value={progress} />
          <span>
            step {last?.step ?? info?.startStep ?? 0}/{info?.totalSteps ?? '?'}
          </span>
          <span>{last ? `${last.stepsPerSec.toFixed(0)} steps/s` : ''}</span>
          <span>elapsed {fmtTime(last?.elapsedSec ?? 0)}</span>
          <span>remaining {remaining}</span>
        </div>
      )}
      {result !== null && (
        <div className={`nnb-result nnb-${result.status}`} data-testid="training-result" data-status={result.status}>
          <strong>{result.status}</strong> {result.message}
          <div className="nnb-path">{result.runDir}</div>
        </div>
      )}
      {shown.length > 0 && (
        <>
          <MetricsChart title="loss" records={shown} series={LOSS} compare={other} />
          <MetricsChart
            title={classifier ? 'accuracy' : 'MSE'}
            records={shown}
            series={classifier ? ACC : MSE}
            compare={other}
            yRange={classifier ? [0, 1] : undefined}
          />
          {compare !== null && !running && (
            <div className="nnb-note" data-testid="compare-note">
              solid: run {compare.a.stamp} · dashed: run {compare.b.stamp}
            </div>
          )}
        </>
      )}
      <BoundaryCanvas grid={grid} points={points} />
      {runs.length > 0 && (
        <RunsList
          runs={runs}
          running={running}
          post={post}
          evaluation={evaluation}
          prediction={prediction}
          imagePrediction={imagePrediction}
          loss={lossName(section)}
        />
      )}
    </div>
  );
}
