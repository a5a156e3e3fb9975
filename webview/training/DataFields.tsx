/**
 * The data source part of the training form: a built-in set, a CSV file of the workspace (with a preview
 * of its first rows and pickers for the label and feature columns), a safetensors file with x and y, or
 * image data (ImageDataFields.tsx: IDX files, Fashion-MNIST, image folders, their transforms and preview).
 * The preview is asked for whenever the document changes, so its check of the first rows against the
 * model stays current, including for a section that already names a CSV.
 */
import { useEffect } from 'react';
import { BUILTIN_NAMES, DATA_KINDS, DATA_SOURCES, builtinName, type BuiltinName, type DataKind } from '../../engine/graph/training';
import type { CsvPreview } from '../../protocol/training';
import { TextField } from './fields';
import type { Parsed } from './number_rule';
import { asRecord, type Section } from './checks';
import { ImageDataFields, type ImageDataState } from './ImageDataFields';

const PREVIEW_DELAY_MS = 250;
const BUILTIN_LABELS: Record<(typeof BUILTIN_NAMES)[number], string> = {
  flower: 'flower (eight petals, the spiral tutorial)',
  moons: 'two moons',
  quadratic: 'y = x^2 (regression)',
};
/** What the data spec starts as when its kind is picked (a source added to the grammar needs one here). */
const STARTERS: Record<DataKind, Record<string, unknown>> = {
  builtin: { kind: 'builtin', name: 'flower' },
  csv: { kind: 'csv', path: 'data.csv' },
  safetensors: { kind: 'safetensors', path: 'data.safetensors' },
  idx: { kind: 'idx', images: 'train-images-idx3-ubyte.gz', labels: 'train-labels-idx1-ubyte.gz' },
  fashionMnist: { kind: 'fashionMnist' },
  imageFolder: { kind: 'imageFolder', path: 'images' },
};
const IMAGE_KINDS: readonly string[] = ['idx', 'fashionMnist', 'imageFolder'] satisfies DataKind[];
const isDataKind = (k: string): k is DataKind => k in STARTERS;

interface Props {
  section: Section;
  /** Replaces the data spec (the section's `data`). */
  onData: (data: Record<string, unknown>) => void;
  outputSize?: number;
  csvPreview: CsvPreview | null;
  onPreviewCsv: (path: string, section: Section) => void;
  images: ImageDataState;
}

const parsePath = (t: string): Parsed<string | undefined> =>
  t.trim() === '' ? { ok: false, reason: 'a file path, relative to the model file' } : { ok: true, value: t.trim() };

export function DataFields({ section, onData, outputSize, csvPreview, onPreviewCsv, images }: Props) {
  const data = asRecord(section.data);
  const kind = String(data.kind ?? 'builtin');
  const filePath = typeof data.path === 'string' ? data.path : '';
  // null: every column but the label (the default); a list, possibly empty: exactly those.
  const features = Array.isArray(data.features) ? (data.features as string[]) : null;
  const label = typeof data.label === 'string' ? data.label : '';
  const setIn = (field: string, value: unknown) => {
    const next = { ...data };
    if (value === undefined) delete next[field];
    else next[field] = value;
    onData(next);
  };

  // The check depends on the file, the columns, the loss and the model (its input shape too, which this
  // panel is not told): the editor hands a new section object after every edit of the document, so the
  // preview is asked for again, once edits pause, whenever anything changed.
  const wanted = kind === 'csv' && filePath !== '';
  useEffect(() => {
    if (!wanted) return;
    const timer = setTimeout(() => onPreviewCsv(filePath, section), PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [wanted, filePath, section, outputSize]);

  const preview = kind === 'csv' && csvPreview !== null && csvPreview.path.endsWith(filePath.replace(/^\.\//, '')) ? csvPreview : null;
  const columns = preview?.columns ?? [];
  const labelColumn = label || columns[columns.length - 1];
  const candidates = columns.filter((c) => c !== labelColumn);
  const chosen = features ?? candidates;
  return (
    <>
      <label className="nnb-field">
        <span>Data</span>
        <select
          data-testid="data-kind"
          value={kind}
          onChange={(e) => {
            const next = e.target.value;
            if (!isDataKind(next)) return;
            // Between image sources the transforms stay.
            const keep =
              IMAGE_KINDS.includes(kind) && IMAGE_KINDS.includes(next) && data.transforms !== undefined ? { transforms: data.transforms } : {};
            onData({ ...STARTERS[next], ...keep });
          }}
        >
          {DATA_KINDS.map((k) => (
            <option key={k} value={k}>
              {DATA_SOURCES[k].label}
            </option>
          ))}
        </select>
      </label>
      {kind === 'builtin' && (
        <label className="nnb-field">
          <span>Set</span>
          <select
            data-testid="data-builtin"
            value={builtinName((data.name ?? 'flower') as BuiltinName)}
            onChange={(e) => setIn('name', e.target.value)}
          >
            {BUILTIN_NAMES.map((n) => (
              <option key={n} value={n}>
                {BUILTIN_LABELS[n]}
              </option>
            ))}
          </select>
        </label>
      )}
      {IMAGE_KINDS.includes(kind) && <ImageDataFields section={section} data={data} onData={onData} images={images} />}
      {(kind === 'csv' || kind === 'safetensors') && (
        <TextField<string>
          label="File"
          testId="data-path"
          value={filePath || undefined}
          show={(v) => v ?? ''}
          parse={parsePath}
          onChange={(v) => setIn('path', v)}
          placeholder={kind === 'csv' ? 'data/train.csv' : 'data/train.safetensors'}
        />
      )}
      {kind === 'safetensors' && (
        <>
          <TextField<string>
            label="Inputs tensor"
            value={typeof data.x === 'string' ? data.x : undefined}
            show={(v) => v ?? 'x'}
            parse={(t) => ({ ok: true, value: t.trim() === '' || t.trim() === 'x' ? undefined : t.trim() })}
            onChange={(v) => setIn('x', v)}
          />
          <TextField<string>
            label="Labels tensor"
            value={typeof data.y === 'string' ? data.y : undefined}
            show={(v) => v ?? 'y'}
            parse={(t) => ({ ok: true, value: t.trim() === '' || t.trim() === 'y' ? undefined : t.trim() })}
            onChange={(v) => setIn('y', v)}
          />
        </>
      )}
      {preview !== null && (
        <div className="nnb-csv" data-testid="csv-preview">
          {preview.error !== null && <div className="nnb-error">{preview.error}</div>}
          {columns.length > 0 && (
            <>
              <label className="nnb-field">
                <span>Label column</span>
                <select
                  data-testid="csv-label"
                  value={label}
                  onChange={(e) => {
                    const next = { ...data };
                    if (e.target.value === '') delete next.label;
                    else next.label = e.target.value;
                    // The new label column cannot stay a feature.
                    if (features !== null) next.features = features.filter((f) => f !== e.target.value);
                    onData(next);
                  }}
                >
                  <option value="">(last column)</option>
                  {columns.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              </label>
              <div className="nnb-field">
                <span>
                  Features ({chosen.length} of {candidates.length} columns)
                </span>
                <div className="nnb-columns">
                  {candidates.map((c) => (
                    <label key={c}>
                      <input
                        type="checkbox"
                        data-testid={`csv-feature-${c}`}
                        checked={chosen.includes(c)}
                        onChange={(e) => {
                          const next = e.target.checked ? candidates.filter((x) => x === c || chosen.includes(x)) : chosen.filter((x) => x !== c);
                          // Every column ticked is the default: the section stays short.
                          setIn('features', next.length === candidates.length ? undefined : next);
                        }}
                      />
                      {c}
                    </label>
                  ))}
                </div>
              </div>
              <table className="nnb-preview" data-testid="csv-preview-table">
                <thead>
                  <tr>
                    {columns.map((c) => (
                      <th key={c}>{c}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {preview.rows.map((r, i) => (
                    <tr key={i}>
                      {r.map((v, j) => (
                        <td key={j}>{v}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </div>
      )}
    </>
  );
}
