/**
 * Predict on an image: pick a PNG or JPEG file, or drop one on the box, and see the class probabilities
 * from the engine and from onnxruntime side by side, with the image as the model saw it (decoded, gray or
 * RGB, resized to its input). The webview reads the file itself (no path crosses to the host) and sends
 * its bytes; the host decodes them as the run's images are decoded.
 */
import { useState } from 'react';
import { MAX_IMAGE_BASE64, type HostToPanel, type PanelToHost } from '../../protocol/training';
import { ImageCanvas } from './ImageCanvas';

type ImagePrediction = Extract<HostToPanel, { type: 'training/imagePrediction' }>;

const pct = (v: number) => `${(100 * v).toFixed(2)}%`;

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function PredictImage({ runDir, post, result }: { runDir: string; post: (msg: PanelToHost) => void; result: ImagePrediction | null }) {
  const [problem, setProblem] = useState<string | null>(null);
  const [over, setOver] = useState(false);
  const send = async (file: File | undefined) => {
    if (file === undefined) return;
    const bytes = toBase64(new Uint8Array(await file.arrayBuffer()));
    if (bytes.length > MAX_IMAGE_BASE64) return setProblem(`${file.name} is ${(file.size / 1e6).toFixed(1)} MB: pick an image under 16 MB`);
    setProblem(null);
    post({ type: 'training/predictImage', runDir, name: file.name, bytes });
  };
  const shown = result !== null && result.runDir === runDir ? result : null;
  const best = shown === null ? -1 : shown.engine.indexOf(Math.max(...shown.engine));
  return (
    <div className="nnb-predict-image">
      <div
        className={`nnb-drop${over ? ' nnb-over' : ''}`}
        data-testid="predict-image-drop"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          void send(e.dataTransfer.files[0]);
        }}
      >
        <span>Predict on an image: drop a PNG or JPEG here, or</span>
        <input
          type="file"
          accept="image/png,image/jpeg"
          data-testid="predict-image-file"
          onChange={(e) => void send(e.target.files?.[0] ?? undefined)}
        />
      </div>
      {problem !== null && <div className="nnb-error">{problem}</div>}
      {shown !== null && (
        <div className="nnb-image-prediction" data-testid="image-prediction" data-predicted={best}>
          <figure>
            <ImageCanvas image={shown.image} size={84} testId="predicted-image" />
            <figcaption>{shown.name}</figcaption>
          </figure>
          <table className="nnb-prediction">
            <thead>
              <tr>
                <th>class</th>
                <th>engine</th>
                <th>onnxruntime</th>
              </tr>
            </thead>
            <tbody>
              {shown.classNames.map((name, i) => (
                <tr key={i} className={i === best ? 'nnb-best' : undefined} data-testid={`image-prob-${i}`}>
                  <th>{name}</th>
                  <td>{pct(shown.engine[i])}</td>
                  <td>{shown.onnx ? pct(shown.onnx[i]) : i === 0 ? shown.onnxError : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
