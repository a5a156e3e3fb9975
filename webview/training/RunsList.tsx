/**
 * The model's past runs in the training panel, with what can be done from one: resume a stopped run (a
 * diverged one under the warning that it will likely diverge again), evaluate it on its validation split
 * (confusion matrix for classifiers), compare its curves with another's, and predict: typed or pasted
 * inputs, rows of a CSV file, or an image file, through the engine and onnxruntime side by side.
 */
import { useState } from 'react';
import { inputsError, parseInputs } from '../../engine/train/inputs';
import type { HostToPanel, PanelToHost, RunListItem } from '../../protocol/training';
import { EvaluationView } from './EvaluationView';
import { PredictImage } from './PredictImage';
import { classify } from './probabilities';
import { LOSSES, type LossName } from '../../engine/graph/training';

type Evaluation = Extract<HostToPanel, { type: 'training/evaluation' }>;
type Prediction = Extract<HostToPanel, { type: 'training/prediction' }>;

interface Props {
  runs: RunListItem[];
  running: boolean;
  post: (msg: PanelToHost) => void;
  evaluation: Evaluation | null;
  prediction: Prediction | null;
  imagePrediction: Extract<HostToPanel, { type: 'training/imagePrediction' }> | null;
  /** The section's loss: for a classifier, predictions also show class probabilities and the class. */
  loss?: LossName;
}

const fmt = (row: number[]) => row.map((v) => v.toPrecision(5)).join(', ');

export function RunsList({ runs, running, post, evaluation, prediction, imagePrediction, loss }: Props) {
  const [selected, setSelected] = useState<string | null>(null);
  const [predictInput, setPredictInput] = useState('');
  const predictError = inputsError(predictInput);
  const classes = prediction !== null && loss !== undefined ? prediction.engine.map((row) => classify(row, loss)).filter((c) => c !== null) : [];
  const binary = loss !== undefined && LOSSES[loss].targets === 'binary';
  const [csvRows, setCsvRows] = useState('1-5');
  const [csvFile, setCsvFile] = useState('');
  const run = runs.find((r) => r.runDir === selected) ?? null;
  return (
    <section className="nnb-runs" data-testid="training-runs">
      <h4>Runs</h4>
      <ul>
        {runs.map((r) => (
          <li key={r.runDir} className={selected === r.runDir ? 'selected' : ''} data-testid={`run-${r.stamp}`}>
            <label>
              <input type="radio" name="nnb-run" checked={selected === r.runDir} onChange={() => setSelected(r.runDir)} />
              {r.stamp} · {r.status}
              {r.final?.accuracy !== undefined ? ` · acc ${r.final.accuracy.toFixed(3)}` : ''}
              {r.final?.valAccuracy !== undefined ? ` · val acc ${r.final.valAccuracy.toFixed(3)}` : ''}
              {r.final?.mse !== undefined ? ` · mse ${r.final.mse.toPrecision(3)}` : ''}
              {r.final === null && r.totalSteps > 0 ? ` · step ${r.step}/${r.totalSteps}` : ''}
            </label>
            {(r.status === 'stopped' || r.status === 'running' || r.status === 'diverged') && !running && r.step > 0 && (
              // A diverged run resumed repeats what diverged: the button says so before it is pressed (the host still asks).
              <button data-testid={`resume-${r.stamp}`} title={r.resumeWarning} onClick={() => post({ type: 'training/resume', runDir: r.runDir })}>
                {r.resumeWarning === undefined ? 'Resume' : 'Resume anyway…'}
              </button>
            )}
            {r.resumeWarning !== undefined && !running && r.step > 0 && (
              <p className="nnb-field-error" data-testid={`resume-warning-${r.stamp}`}>
                {r.resumeWarning}
              </p>
            )}
            <button onClick={() => post({ type: 'training/evaluate', runDir: r.runDir })}>Evaluate</button>
            {selected !== null && selected !== r.runDir && (
              <button data-testid={`compare-${r.stamp}`} onClick={() => post({ type: 'training/compare', a: selected, b: r.runDir })}>
                Compare
              </button>
            )}
          </li>
        ))}
      </ul>
      {run !== null && (
        <div className="nnb-predict" data-testid="predict-form">
          <div className="nnb-predict-row">
            <input
              type="text"
              data-testid="predict-input"
              value={predictInput}
              placeholder="inputs: 0.5, -1; 2, 0.1"
              onChange={(e) => setPredictInput(e.target.value)}
            />
            <button
              data-testid="predict-button"
              disabled={predictError !== undefined}
              title={predictError}
              onClick={() => post({ type: 'training/predict', runDir: run.runDir, inputs: parseInputs(predictInput) })}
            >
              Predict
            </button>
          </div>
          {predictInput.trim() !== '' && predictError !== undefined && (
            <p className="nnb-field-error" data-testid="predict-input-error">
              {predictError}
            </p>
          )}
          <div className="nnb-predict-row">
            <span>or rows</span>
            <input type="text" data-testid="predict-rows" value={csvRows} placeholder="1-5, 9" onChange={(e) => setCsvRows(e.target.value)} />
            <span>of</span>
            <input type="text" data-testid="predict-file" value={csvFile} placeholder="the run's CSV" onChange={(e) => setCsvFile(e.target.value)} />
            <button
              data-testid="predict-rows-button"
              disabled={csvRows.trim() === ''}
              onClick={() =>
                post({ type: 'training/predict', runDir: run.runDir, rows: csvRows, ...(csvFile.trim() !== '' ? { file: csvFile.trim() } : {}) })
              }
            >
              Predict rows
            </button>
          </div>
          <PredictImage runDir={run.runDir} post={post} result={imagePrediction} />
        </div>
      )}
      {evaluation !== null && <EvaluationView evaluation={evaluation} />}
      {prediction !== null && (
        // A wide table scrolls in its own box, not the whole panel.
        <div className="nnb-table-scroll">
          <table className="nnb-prediction" data-testid="training-prediction">
            <thead>
              <tr>
                <th>#</th>
                <th>input</th>
                {prediction.labels && <th>label</th>}
                <th title="the model's raw outputs">engine</th>
                <th>onnxruntime</th>
                {classes.length > 0 && (
                  <>
                    <th title={binary ? 'probability of class 1' : 'probability of each class (softmax)'}>
                      {binary ? 'P(class 1)' : 'probabilities'}
                    </th>
                    <th>class</th>
                  </>
                )}
              </tr>
            </thead>
            <tbody>
              {prediction.engine.map((row, i) => (
                <tr key={i}>
                  <td>{prediction.rowNumbers?.[i] ?? i + 1}</td>
                  <td>{fmt(prediction.inputs[i]).slice(0, 60)}</td>
                  {prediction.labels && <td>{prediction.labels[i]}</td>}
                  <td>{fmt(row)}</td>
                  <td>{prediction.onnx ? fmt(prediction.onnx[i]) : i === 0 ? prediction.onnxError : ''}</td>
                  {classes[i] && (
                    <>
                      <td data-testid="predict-probabilities">{classes[i]!.probabilities.map((p) => p.toFixed(3)).join(', ')}</td>
                      <td data-testid="predict-class">{classes[i]!.predicted}</td>
                    </>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
