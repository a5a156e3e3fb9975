/**
 * An Evaluate result: loss and accuracy (or MSE) on the split it ran on, the confusion matrix with the
 * class names (rows: true class, columns: predicted; cells shaded by their share of the row) and each
 * class's accuracy, and for image data the worst misclassified images with their true and predicted
 * classes and how sure the model was.
 */
import type { HostToPanel } from '../../protocol/training';
import { ImageCanvas } from './ImageCanvas';

type Evaluation = Extract<HostToPanel, { type: 'training/evaluation' }>;

const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : '–');

export function EvaluationView({ evaluation }: { evaluation: Evaluation }) {
  const names = (i: number) => evaluation.classNames?.[i] ?? String(i);
  const confusion = evaluation.confusion;
  return (
    <div className="nnb-evaluation" data-testid="training-evaluation" data-split={evaluation.split}>
      <div>
        {evaluation.split} split ({evaluation.samples} samples): loss {evaluation.loss.toFixed(4)}
        {evaluation.accuracy !== undefined ? ` · accuracy ${evaluation.accuracy.toFixed(4)}` : ''}
        {evaluation.mse !== undefined ? ` · MSE ${evaluation.mse.toPrecision(4)}` : ''}
      </div>
      {confusion && (
        <table className="nnb-confusion" data-testid="confusion-matrix">
          <thead>
            <tr>
              <th>true \ predicted</th>
              {confusion.map((_, j) => (
                <th key={j} title={names(j)}>
                  {names(j)}
                </th>
              ))}
              {evaluation.perClassAccuracy && <th>accuracy</th>}
            </tr>
          </thead>
          <tbody>
            {confusion.map((row, i) => {
              const total = Math.max(
                1,
                row.reduce((a, b) => a + b, 0),
              );
              return (
                <tr key={i} data-testid={`confusion-row-${i}`}>
                  <th>{names(i)}</th>
                  {row.map((v, j) => (
                    <td
                      key={j}
                      className={i === j ? 'nnb-diagonal' : undefined}
                      style={{ background: `rgba(${i === j ? '56,138,52' : '213,62,79'},${(0.6 * v) / total})` }}
                    >
                      {v}
                    </td>
                  ))}
                  {evaluation.perClassAccuracy && <td data-testid={`class-accuracy-${i}`}>{pct(evaluation.perClassAccuracy[i])}</td>}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {evaluation.worst !== undefined && evaluation.worst.length > 0 && (
        <>
          <div className="nnb-note">Worst misclassified {evaluation.split} images (least probability on the true class first)</div>
          <div className="nnb-image-grid" data-testid="worst-grid">
            {evaluation.worst.map((w) => (
              <figure key={w.index} data-testid="worst" data-index={w.index} data-truth={w.truth} data-predicted={w.predicted}>
                <ImageCanvas image={w.image} title={`${evaluation.split} image ${w.index}`} />
                <figcaption>
                  <span>true {names(w.truth)}</span>
                  <span>
                    → {names(w.predicted)} {pct(w.predictedProbability)}
                  </span>
                </figcaption>
              </figure>
            ))}
          </div>
        </>
      )}
    </div>
  );
}
