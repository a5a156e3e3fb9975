/**
 * The data section's fields for image sources: IDX files (training images and labels, an optional test
 * pair, class names), Fashion-MNIST (its folder, default the nnblocks.fashionMnistDir setting or the
 * Debian package's folder), and image folders (root, test root, resize, size, gray or RGB); then the
 * transforms, and a preview of the data: a grid of sample images with their labels and the images per
 * class, read by the host (with progress) whenever the source's fields settle. Each value is checked by
 * its field's schema in the grammar (DATA_SOURCES) before it is written.
 */
import { useEffect, useRef, useState } from 'react';
import { DATA_SOURCES } from '../../engine/graph/training';
import type { TransformSpec } from '../../engine/data/image_specs';
import { DEFAULT_TRANSFORMS } from '../../engine/data/transforms';
import type { HostToPanel } from '../../protocol/training';
import { TextField } from './fields';
import type { Parsed } from './number_rule';
import { parseWith } from './zod_rule';
import { TransformFields } from './TransformFields';
import { ImagePreviewGrid } from './ImagePreviewGrid';
import type { Section } from './checks';

const PREVIEW_DELAY_MS = 400;

type Preview = Extract<HostToPanel, { type: 'training/imagePreview' }>;
type Normalization = Extract<HostToPanel, { type: 'training/normalization' | 'training/normalizationError' }>;

/** What the panel holds of the host's answers about image data. */
export interface ImageDataState {
  preview: Preview | null;
  progress: { seq: number; bytes: number; totalBytes: number } | null;
  normalization: Normalization | null;
  /** Posts a request for the section's images; returns its sequence number. */
  request: (what: 'preview' | 'normalize', section: Section, index?: number) => number;
}

interface Props {
  section: Section;
  data: Record<string, unknown>;
  onData: (data: Record<string, unknown>) => void;
  images: ImageDataState;
}

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
const requiredPath = (t: string): Parsed<string | undefined> =>
  t.trim() === '' ? { ok: false, reason: 'a path, relative to the model file' } : { ok: true, value: t.trim() };
const optionalPath = (t: string): Parsed<string | undefined> => ({ ok: true, value: t.trim() === '' ? undefined : t.trim() });
const shapes = { idx: DATA_SOURCES.idx.schema.shape, imageFolder: DATA_SOURCES.imageFolder.schema.shape };
const parseClassNames = (t: string): Parsed<string[] | undefined> => {
  if (t.trim() === '') return { ok: true, value: undefined };
  return parseWith(
    shapes.idx.classNames,
    t.split(',').map((s) => s.trim()),
  ) as Parsed<string[] | undefined>;
};
const parseSize = (t: string): Parsed<[number, number] | undefined> => {
  if (t.trim() === '') return { ok: true, value: undefined };
  const m = /^\s*(\d+)\s*[x×,]\s*(\d+)\s*$/.exec(t);
  if (m === null) return { ok: false, reason: 'height x width, e.g. 28x28' };
  return parseWith(shapes.imageFolder.size, [Number(m[1]), Number(m[2])]) as Parsed<[number, number] | undefined>;
};
/** Four decimals, as torchvision examples write them (0.2860, 0.3530). */
const round = (v: number) => Math.round(v * 1e4) / 1e4;

/** The test pair of an IDX source: both files or none (the grammar's `test` needs both), kept as typed until then. */
function IdxTestFields({ data, setIn }: { data: Record<string, unknown>; setIn: (field: string, value: unknown) => void }) {
  const written = typeof data.test === 'object' && data.test !== null ? (data.test as { images?: string; labels?: string }) : {};
  const [draft, setDraft] = useState({ images: written.images ?? '', labels: written.labels ?? '' });
  useEffect(() => setDraft({ images: written.images ?? '', labels: written.labels ?? '' }), [written.images, written.labels]);
  const change = (field: 'images' | 'labels', v: string) => {
    const next = { ...draft, [field]: v };
    setDraft(next);
    const [i, l] = [next.images.trim(), next.labels.trim()];
    if (i !== '' && l !== '') setIn('test', { images: i, labels: l });
    else if (i === '' && l === '' && data.test !== undefined) setIn('test', undefined);
  };
  const half = (draft.images.trim() === '') !== (draft.labels.trim() === '');
  return (
    <>
      <label className={`nnb-field${half ? ' nnb-invalid' : ''}`}>
        <span>Test images{half && draft.images.trim() === '' && <em> (give both test files)</em>}</span>
        <input
          type="text"
          data-testid="idx-test-images"
          placeholder="none: no test set"
          value={draft.images}
          onChange={(e) => change('images', e.target.value)}
        />
      </label>
      <label className={`nnb-field${half ? ' nnb-invalid' : ''}`}>
        <span>Test labels{half && draft.labels.trim() === '' && <em> (give both test files)</em>}</span>
        <input
          type="text"
          data-testid="idx-test-labels"
          placeholder="t10k-labels-idx1-ubyte.gz"
          value={draft.labels}
          onChange={(e) => change('labels', e.target.value)}
        />
      </label>
    </>
  );
}

export function ImageDataFields({ section, data, onData, images }: Props) {
  const kind = String(data.kind);
  const setIn = (field: string, value: unknown) => {
    const next = { ...data };
    if (value === undefined) delete next[field];
    else next[field] = value;
    onData(next);
  };

  // The preview depends on where the images are, not on the transforms (it shows the stored pixels).
  const { transforms, ...source } = data;
  const sourceKey = JSON.stringify(source);
  const previewSeq = useRef<number | null>(null);
  const [shownSeq, setShownSeq] = useState<number | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => {
      previewSeq.current = images.request('preview', section);
      setShownSeq(previewSeq.current);
    }, PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sourceKey]);
  const preview = images.preview !== null && images.preview.seq === shownSeq ? images.preview : null;
  const progress = images.progress !== null && images.progress.seq === shownSeq ? images.progress : null;

  // Normalize's statistics: the answer to this form's latest request is written into that step.
  const [pending, setPending] = useState<{ seq: number; index: number } | null>(null);
  const [computeError, setComputeError] = useState<string | null>(null);
  const list: TransformSpec[] = Array.isArray(transforms) ? (transforms as TransformSpec[]) : [...DEFAULT_TRANSFORMS];
  useEffect(() => {
    const n = images.normalization;
    if (pending === null || n === null || n.seq !== pending.seq) return;
    setPending(null);
    if (n.type === 'training/normalizationError') return setComputeError(n.message);
    setComputeError(null);
    const step = list[pending.index];
    if (step?.kind === 'normalize')
      setIn(
        'transforms',
        list.map((t, j) => (j === pending.index ? { ...step, mean: n.mean.map(round), std: n.std.map(round) } : t)),
      );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [images.normalization]);
  const computingProgress =
    pending !== null && images.progress?.seq === pending.seq
      ? Math.floor((100 * images.progress.bytes) / Math.max(1, images.progress.totalBytes))
      : null;

  return (
    <>
      {kind === 'idx' && (
        <>
          <TextField<string>
            label="Training images"
            testId="idx-images"
            value={text(data.images)}
            show={(v) => v ?? ''}
            parse={requiredPath}
            onChange={(v) => setIn('images', v)}
            placeholder="train-images-idx3-ubyte.gz"
          />
          <TextField<string>
            label="Training labels"
            testId="idx-labels"
            value={text(data.labels)}
            show={(v) => v ?? ''}
            parse={requiredPath}
            onChange={(v) => setIn('labels', v)}
            placeholder="train-labels-idx1-ubyte.gz"
          />
          <IdxTestFields data={data} setIn={setIn} />
          <TextField<string[]>
            label="Class names"
            testId="idx-class-names"
            value={Array.isArray(data.classNames) ? (data.classNames as string[]) : undefined}
            show={(v) => (v ?? []).join(', ')}
            parse={parseClassNames}
            onChange={(v) => setIn('classNames', v)}
            placeholder="0, 1, 2, … (by label)"
          />
        </>
      )}
      {kind === 'fashionMnist' && (
        <TextField<string>
          label="Folder"
          testId="fashion-dir"
          value={text(data.dir)}
          show={(v) => v ?? ''}
          parse={optionalPath}
          onChange={(v) => setIn('dir', v)}
          placeholder="the nnblocks.fashionMnistDir setting, else the dataset-fashion-mnist package's folder"
        />
      )}
      {kind === 'imageFolder' && (
        <>
          <TextField<string>
            label="Folder (one sub-folder per class)"
            testId="folder-path"
            value={text(data.path)}
            show={(v) => v ?? ''}
            parse={requiredPath}
            onChange={(v) => setIn('path', v)}
            placeholder="images"
          />
          <TextField<string>
            label="Test folder"
            testId="folder-test-path"
            value={text(data.testPath)}
            show={(v) => v ?? ''}
            parse={optionalPath}
            onChange={(v) => setIn('testPath', v)}
            placeholder="none: no test set"
          />
          <TextField<[number, number]>
            label="Size (height x width)"
            testId="folder-size"
            value={Array.isArray(data.size) ? (data.size as [number, number]) : undefined}
            show={(v) => (v === undefined ? '' : `${v[0]}x${v[1]}`)}
            parse={parseSize}
            onChange={(v) => setIn('size', v)}
            placeholder="the model's input"
          />
          <label className="nnb-field">
            <span>Colour</span>
            <select
              data-testid="folder-grayscale"
              value={data.grayscale === undefined ? '' : String(data.grayscale)}
              onChange={(e) => setIn('grayscale', e.target.value === '' ? undefined : e.target.value === 'true')}
            >
              <option value="">the model's input channels</option>
              <option value="true">grayscale</option>
              <option value="false">RGB</option>
            </select>
          </label>
          <label className="nnb-field nnb-check">
            <input
              type="checkbox"
              data-testid="folder-resize"
              checked={data.resize === true}
              onChange={(e) => setIn('resize', e.target.checked ? true : undefined)}
            />
            <span>Resize images of another size</span>
          </label>
        </>
      )}
      <TransformFields
        value={transforms}
        onChange={(next) => setIn('transforms', next)}
        onCompute={(index) => {
          setComputeError(null);
          setPending({ seq: images.request('normalize', section, index), index });
        }}
        computing={pending === null ? null : { index: pending.index, percent: computingProgress }}
        computeError={computeError}
      />
      <ImagePreviewGrid preview={preview} progress={progress} waiting={shownSeq !== null && preview === null} />
    </>
  );
}
