/**
 * The image transforms of the data section, in their order: add, move, remove, and the fields of each
 * (normalize's mean and std with a button that has the host compute them from the training images, the
 * flip's probability, the crop's padding). Kinds, fields and limits come from the transforms' grammar
 * (engine/data/image_specs.ts, through DATA_SOURCES); an absent list means the engine's default
 * (scale to [0, 1]), shown as such until the user changes it.
 */
import { DEFAULT_TRANSFORMS } from '../../engine/data/transforms';
import type { TransformSpec } from '../../engine/data/image_specs';
import { NumberField, TextField } from './fields';
import type { Parsed } from './number_rule';
import { parseWith, ruleOfZod, transformSchema, TRANSFORM_KINDS } from './zod_rule';

type Kind = TransformSpec['kind'];

/** What each kind is called in the form, and what a new one starts as (a new kind in the grammar is a compile error here until it has both). */
const KINDS: Record<Kind, { label: string; start: TransformSpec }> = {
  scale: { label: 'Scale to [0, 1]', start: { kind: 'scale' } },
  normalize: { label: 'Normalize (mean, std)', start: { kind: 'normalize', mean: [0], std: [1] } },
  randomHorizontalFlip: { label: 'Random horizontal flip', start: { kind: 'randomHorizontalFlip' } },
  randomCrop: { label: 'Random crop with padding', start: { kind: 'randomCrop', padding: 2 } },
};
const isKind = (k: string): k is Kind => k in KINDS;

interface Props {
  /** The data section's `transforms` as written (undefined: the default). */
  value: unknown;
  onChange: (next: TransformSpec[]) => void;
  /** Asks the host for the mean and std of the training images as they reach transform `index`. */
  onCompute: (index: number) => void;
  /** The index whose statistics are being computed, and how far the images are read. */
  computing: { index: number; percent: number | null } | null;
  computeError: string | null;
}

/** "0.5, 0.25" to numbers, checked by the normalize schema's field. */
const numbers =
  (field: 'mean' | 'std') =>
  (text: string): Parsed<number[] | undefined> => {
    const parts = text.split(/[\s,]+/).filter((p) => p !== '');
    const values = parts.map(Number);
    if (values.some((v) => !Number.isFinite(v))) return { ok: false, reason: 'numbers separated by commas' };
    return parseWith(transformSchema('normalize').shape[field], values);
  };

export function TransformFields({ value, onChange, onCompute, computing, computeError }: Props) {
  const written = Array.isArray(value) ? (value as TransformSpec[]) : null;
  const list = written ?? [...DEFAULT_TRANSFORMS];
  const set = (i: number, t: TransformSpec) => onChange(list.map((x, j) => (j === i ? t : x)));
  const move = (i: number, by: number) => {
    const next = [...list];
    [next[i], next[i + by]] = [next[i + by], next[i]];
    onChange(next);
  };
  return (
    <div className="nnb-transforms" data-testid="transforms">
      <span className="nnb-note">Transforms, in order{written === null ? ' (the default)' : ''}; flips and crops apply to training batches only</span>
      <ol>
        {list.map((t, i) => (
          <li key={i} data-testid={`transform-${i}`} data-kind={t.kind}>
            <span className="nnb-transform-name">{isKind(t.kind) ? KINDS[t.kind].label : t.kind}</span>
            {t.kind === 'normalize' && (
              <>
                <TextField<number[]>
                  label="mean"
                  testId={`normalize-mean-${i}`}
                  value={t.mean}
                  show={(v) => (v ?? []).join(', ')}
                  parse={numbers('mean')}
                  onChange={(v) => v !== undefined && set(i, { ...t, mean: v })}
                />
                <TextField<number[]>
                  label="std"
                  testId={`normalize-std-${i}`}
                  value={t.std}
                  show={(v) => (v ?? []).join(', ')}
                  parse={numbers('std')}
                  onChange={(v) => v !== undefined && set(i, { ...t, std: v })}
                />
                <button
                  type="button"
                  data-testid={`normalize-compute-${i}`}
                  disabled={computing !== null}
                  title="Mean and std per channel of the training images as they reach this step"
                  onClick={() => onCompute(i)}
                >
                  {computing?.index === i ? `Computing…${computing.percent === null ? '' : ` ${computing.percent}%`}` : 'Compute from training data'}
                </button>
              </>
            )}
            {t.kind === 'randomHorizontalFlip' && (
              <NumberField
                label="probability"
                testId={`flip-p-${i}`}
                value={t.p}
                rule={ruleOfZod(transformSchema('randomHorizontalFlip').shape.p)}
                placeholder="0.5"
                onChange={(v) => set(i, v === undefined ? { kind: t.kind } : { ...t, p: v })}
              />
            )}
            {t.kind === 'randomCrop' && (
              <NumberField
                label="padding"
                testId={`crop-padding-${i}`}
                value={t.padding}
                rule={ruleOfZod(transformSchema('randomCrop').shape.padding)}
                onChange={(v) => v !== undefined && set(i, { ...t, padding: v })}
              />
            )}
            <span className="nnb-transform-buttons">
              <button type="button" title="Earlier" disabled={i === 0} onClick={() => move(i, -1)}>
                ↑
              </button>
              <button type="button" title="Later" disabled={i === list.length - 1} onClick={() => move(i, 1)}>
                ↓
              </button>
              <button type="button" title="Remove" data-testid={`transform-${i}-remove`} onClick={() => onChange(list.filter((_, j) => j !== i))}>
                ×
              </button>
            </span>
          </li>
        ))}
      </ol>
      <label className="nnb-field">
        <span>Add a transform</span>
        <select data-testid="transform-add" value="" onChange={(e) => isKind(e.target.value) && onChange([...list, KINDS[e.target.value].start])}>
          <option value="">…</option>
          {TRANSFORM_KINDS.filter(isKind).map((k) => (
            <option key={k} value={k}>
              {KINDS[k].label}
            </option>
          ))}
        </select>
      </label>
      {computeError !== null && (
        <div className="nnb-error" data-testid="normalize-error">
          {computeError}
        </div>
      )}
    </div>
  );
}
