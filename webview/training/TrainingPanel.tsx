/**
 * The training side panel: the config form, Train / Stop, live charts (loss and validation loss, accuracy
 * or MSE), steps/s with elapsed and remaining time, the decision boundary refreshing during the run, the
 * model's past runs (resume, evaluate, compare), and Evaluate / Predict results.
 *
 * It talks to the extension only through `post` (PanelToHost) and the messages the host sends, which the
 * mounting code passes in through `subscribe` (see index.ts).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { CsvPreview, GridMessage, HostToPanel, MetricsRecord, PanelToHost, PointsMessage, RunListItem, RunResult } from './protocol';
import { ConfigForm, checkSection, type Section } from './ConfigForm';
import { MetricsChart, type Series } from './MetricsChart';
import { BoundaryCanvas } from './BoundaryCanvas';

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

const fmtTime = (s: number) => (!Number.isFinite(s) ? '–' : s >= 3600 ? `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m` : s >= 60 ? `${Math.floor(s / 60)}m ${Math.floor(s % 60)}s` : `${s.toFixed(1)}s`);

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

export function TrainingPanel({ post, subscribe, training, onEditTraining, outputSize }: TrainingPanelProps) {
  const [running, setRunning] = useState(false);
  const [info, setInfo] = useState<Info | null>(null);
  const [history, setHistory] = useState<MetricsRecord[]>([]);
  const [grid, setGrid] = useState<GridMessage | null>(null);
  const [points, setPoints] = useState<PointsMessage | null>(null);
  const [result, setResult] = useState<RunResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [runs, setRuns] = useState<RunListItem[]>([]);
  const [compare, setCompare] = useState<{ stamp: string; metrics: MetricsRecord[] } | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [evaluation, setEvaluation] = useState<Extract<HostToPanel, { type: 'training/evaluation' }> | null>(null);
  const [prediction, setPrediction] = useState<Extract<HostToPanel, { type: 'training/prediction' }> | null>(null);
  const [predictInput, setPredictInput] = useState('');
  const [csvPreview, setCsvPreview] = useState<CsvPreview | null>(null);

  // The host is asked for the current state once per mount, even if the mounting code passes a new
  // `subscribe` function on every render.
  const announced = useRef(false);
  useEffect(() => {
    const off = subscribe((m) => {
      switch (m.type) {
        case 'training/state':
          setRunning(m.running);
          setInfo(m.info);
          setPoints(m.info?.points ?? null);
          setHistory(m.history);
          setGrid(m.grid);
          setResult(m.result);
          break;
        case 'training/started':
          setRunning(true);
          setInfo(m.info);
          setPoints(m.info.points);
          setHistory([]);
          setGrid(null);
          setResult(null);
          setError(null);
          setCompare(null);
          break;
        case 'training/metrics':
          setHistory((h) => [...h, m.record]);
          break;
        case 'training/grid':
          setGrid(m.grid);
          break;
        case 'training/result':
          setRunning(false);
          setResult(m.result);
          break;
        case 'training/error':
          setError(m.message);
          break;
        case 'training/runs':
          setRuns(m.runs);
          break;
        case 'training/compare':
          setHistory(m.a.metrics);
          setCompare(m.b);
          break;
        case 'training/evaluation':
          setEvaluation(m);
          break;
        case 'training/prediction':
          setPrediction(m);
          break;
        case 'training/csvPreview':
          setCsvPreview(m.preview);
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
  const problems = useMemo(() => checkSection(section, outputSize), [section, outputSize]);
  const last = history[history.length - 1];
  const classifier = history.some((r) => r.accuracy !== undefined);
  const progress = info && last ? last.step / info.totalSteps : 0;

  return (
    <div className="nnb-training" data-testid="training-panel" data-running={running}>
      <ConfigForm section={section} onChange={onEditTraining} outputSize={outputSize} csvPreview={csvPreview} onPreviewCsv={(p) => post({ type: 'training/previewCsv', path: p })} disabled={running} />
      <div className="nnb-actions">
        {!running && (
          <button data-testid="train-button" disabled={problems.length > 0} title={problems[0] ?? 'Train the model'} onClick={() => post({ type: 'training/start' })}>
            Train
          </button>
        )}
        {running && (
          <button data-testid="stop-button" onClick={() => post({ type: 'training/stop' })}>
            Stop
          </button>
        )}
      </div>
      {error !== null && <div className="nnb-error" data-testid="training-error">{error}</div>}
      {(running || last) && (
        <div className="nnb-stats" data-testid="training-stats">
          <progress max={1} value={progress} />
          <span>step {last?.step ?? info?.startStep ?? 0}/{info?.totalSteps ?? '?'}</span>
          <span>{last ? `${last.stepsPerSec.toFixed(0)} steps/s` : ''}</span>
          <span>elapsed {fmtTime(last?.elapsedSec ?? 0)}</span>
          <span>remaining {running ? fmtTime(last?.etaSec ?? NaN) : '0s'}</span>
        </div>
      )}
      {history.length > 0 && (
        <>
          <MetricsChart title="loss" records={history} series={LOSS} compare={compare?.metrics} />
          <MetricsChart title={classifier ? 'accuracy' : 'MSE'} records={history} series={classifier ? ACC : MSE} compare={compare?.metrics} />
          {compare && <div className="nnb-note">dashed: run {compare.stamp}</div>}
        </>
      )}
      <BoundaryCanvas grid={grid} points={points} />
      {result !== null && (
        <div className={`nnb-result nnb-${result.status}`} data-testid="training-result" data-status={result.status}>
          <strong>{result.status}</strong> {result.message}
          <div className="nnb-path">{result.runDir}</div>
        </div>
      )}
      {runs.length > 0 && (
        <section className="nnb-runs">
          <h4>Runs</h4>
          <ul>
            {runs.map((r) => (
              <li key={r.runDir} className={selected === r.runDir ? 'selected' : ''}>
                <label>
                  <input type="radio" name="nnb-run" checked={selected === r.runDir} onChange={() => setSelected(r.runDir)} />
                  {r.stamp} · {r.status}
                  {r.final?.accuracy !== undefined ? ` · acc ${r.final.accuracy.toFixed(3)}` : ''}
                  {r.final?.mse !== undefined ? ` · mse ${r.final.mse.toPrecision(3)}` : ''}
                </label>
                {(r.status === 'stopped' || r.status === 'running') && !running && <button onClick={() => post({ type: 'training/resume', runDir: r.runDir })}>Resume</button>}
                <button onClick={() => post({ type: 'training/evaluate', runDir: r.runDir })}>Evaluate</button>
                {selected !== null && selected !== r.runDir && <button onClick={() => post({ type: 'training/compare', a: selected, b: r.runDir })}>Compare</button>}
              </li>
            ))}
          </ul>
          {selected !== null && (
            <div className="nnb-predict">
              <input type="text" value={predictInput} placeholder="inputs: 0.5, -1; 2, 0.1" onChange={(e) => setPredictInput(e.target.value)} />
              <button
                onClick={() =>
                  post({ type: 'training/predict', runDir: selected, inputs: predictInput.split(';').map((r) => r.trim()).filter((r) => r !== '').map((r) => r.split(/[\s,]+/).map(Number)) })
                }
              >
                Predict
              </button>
            </div>
          )}
        </section>
      )}
      {evaluation !== null && (
        <div className="nnb-evaluation" data-testid="training-evaluation">
          <div>loss {evaluation.loss.toFixed(4)}{evaluation.accuracy !== undefined ? ` · accuracy ${evaluation.accuracy.toFixed(4)}` : ''}{evaluation.mse !== undefined ? ` · MSE ${evaluation.mse.toPrecision(4)}` : ''} ({evaluation.samples} samples)</div>
          {evaluation.confusion && (
            <table className="nnb-confusion">
              <thead><tr><th>true \ predicted</th>{evaluation.confusion.map((_, j) => <th key={j}>{j}</th>)}</tr></thead>
              <tbody>{evaluation.confusion.map((row, i) => <tr key={i}><th>{i}</th>{row.map((v, j) => <td key={j}>{v}</td>)}</tr>)}</tbody>
            </table>
          )}
        </div>
      )}
      {prediction !== null && (
        <table className="nnb-prediction" data-testid="training-prediction">
          <thead><tr><th>#</th><th>engine</th><th>onnxruntime</th></tr></thead>
          <tbody>
            {prediction.engine.map((row, i) => (
              <tr key={i}>
                <td>{i + 1}</td>
                <td>{row.map((v) => v.toPrecision(5)).join(', ')}</td>
                <td>{prediction.onnx ? prediction.onnx[i].map((v) => v.toPrecision(5)).join(', ') : prediction.onnxError}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
