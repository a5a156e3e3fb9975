/**
 * What the data section shows of an image set: where it came from, how many images each class has (as
 * numbers and bars, so an unbalanced set is seen at once), and a grid of sample images with their labels.
 * While the host reads the files, how far it is.
 */
import type { HostToPanel } from '../../protocol/training';
import { ImageCanvas } from './ImageCanvas';

type Preview = Extract<HostToPanel, { type: 'training/imagePreview' }>;

interface Props {
  preview: Preview | null;
  progress: { bytes: number; totalBytes: number } | null;
  waiting: boolean;
}

export function ImagePreviewGrid({ preview, progress, waiting }: Props) {
  if (preview === null) {
    if (!waiting) return null;
    const pct = progress === null ? null : Math.floor((100 * progress.bytes) / Math.max(1, progress.totalBytes));
    return (
      <div className="nnb-image-preview nnb-loading" data-testid="image-preview-loading">
        Reading the images{pct === null ? '…' : `: ${pct}% of ${(progress!.totalBytes / 1e6).toFixed(1)} MB`}
        {pct !== null && <progress max={100} value={pct} />}
      </div>
    );
  }
  if (preview.error !== null || preview.preview === null)
    return (
      <div className="nnb-image-preview nnb-error" data-testid="image-preview-error">
        {preview.error}
      </div>
    );
  const p = preview.preview;
  const total = p.classCounts.reduce((a, b) => a + b, 0);
  const most = Math.max(1, ...p.classCounts);
  return (
    <div className="nnb-image-preview" data-testid="image-preview">
      <div className="nnb-note">
        {p.describe}: {total} training images{p.testCount === null ? '' : `, ${p.testCount} test images`}
      </div>
      <table className="nnb-class-counts" data-testid="class-counts">
        <tbody>
          {p.classNames.map((name, i) => (
            <tr key={i} data-testid={`class-count-${i}`}>
              <th>{name}</th>
              <td>{p.classCounts[i]}</td>
              <td className="nnb-bar-cell">
                <span className="nnb-bar" style={{ width: `${(100 * p.classCounts[i]) / most}%` }} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="nnb-image-grid" data-testid="sample-grid">
        {p.samples.map((s) => (
          <figure key={s.index} data-testid="sample" data-label={s.label}>
            <ImageCanvas image={s.image} title={`image ${s.index}`} />
            <figcaption>{p.classNames[s.label] ?? s.label}</figcaption>
          </figure>
        ))}
      </div>
    </div>
  );
}
