/**
 * The training section form. Every change produces a whole new section that the panel hands to the
 * editor as an edit of the document (the webview never writes the file). The section is checked live with
 * the same resolver the run uses, and against the model's output size, so errors show before a run.
 */
import { useMemo } from 'react';
import { resolveRunConfig, BUILTIN_NAMES, LOSS_NAMES, OPTIMIZER_NAMES } from '../../engine/train/config';
import type { CsvPreview } from './protocol';

export type Section = Record<string, unknown>;

interface Props {
  section: Section;
  onChange: (next: Section) => void;
  /** Values per sample the model outputs (from the editor's shape inference), when known. */
  outputSize?: number;
  csvPreview: CsvPreview | null;
  onPreviewCsv: (path: string) => void;
  disabled?: boolean;
}

const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** Problems a run would hit, phrased as what to change. */
export function checkSection(section: Section, outputSize?: number): string[] {
  const problems: string[] = [];
  try {
    const c = resolveRunConfig('model', section);
    if (outputSize !== undefined) {
      const loss = c.loss.type;
      if ((loss === 'BCEWithLogitsLoss' || loss === 'BCELoss') && outputSize !== 1) {
        problems.push(`${loss} needs one logit per sample, but the model outputs ${outputSize}: set the last layer's output size to 1, or use CrossEntropyLoss with ${outputSize} classes`);
      }
      if ((loss === 'CrossEntropyLoss' || loss === 'NLLLoss') && outputSize < 2) {
        problems.push(`${loss} needs one output per class, but the model outputs ${outputSize}: set the last layer's output size to the number of classes, or use BCEWithLogitsLoss for two classes`);
      }
      if (c.data.kind === 'builtin' && c.data.name === 'quadratic' && loss !== 'MSELoss' && loss !== 'L1Loss') {
        problems.push(`the y = x^2 data is a regression set: use MSELoss or L1Loss`);
      }
    }
  } catch (e) {
    problems.push((e as Error).message);
  }
  return problems;
}

function NumberField({ label, value, onChange, step, min, max, placeholder, disabled }: { label: string; value: unknown; onChange: (v: number | undefined) => void; step?: number; min?: number; max?: number; placeholder?: string; disabled?: boolean }) {
  return (
    <label className="nnb-field">
      <span>{label}</span>
      <input
        type="number"
        step={step ?? 'any'}
        min={min}
        max={max}
        placeholder={placeholder}
        disabled={disabled}
        value={typeof value === 'number' ? value : ''}
        onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
      />
    </label>
  );
}

export function ConfigForm({ section, onChange, outputSize, csvPreview, onPreviewCsv, disabled }: Props) {
  const data = obj(section.data);
  const kind = String(data.kind ?? data.source ?? 'builtin');
  const optimizer = obj(section.optimizer);
  const schedule = section.schedule === null || section.schedule === undefined || obj(section.schedule).type === 'none' ? null : obj(section.schedule);
  const loss = typeof section.loss === 'string' ? section.loss : String(obj(section.loss).type ?? 'MSELoss');
  const problems = useMemo(() => checkSection(section, outputSize), [section, outputSize]);
  const set = (key: string, value: unknown) => {
    const next = { ...section };
    if (value === undefined) delete next[key];
    else next[key] = value;
    onChange(next);
  };
  const setIn = (key: string, inner: Record<string, unknown>, field: string, value: unknown) => {
    const next = { ...inner };
    if (value === undefined) delete next[field];
    else next[field] = value;
    set(key, next);
  };
  const optType = String(optimizer.type ?? 'SGD');
  const columns = csvPreview?.columns ?? [];
  const features = Array.isArray(data.features) ? (data.features as string[]) : [];
  const label = typeof data.label === 'string' ? data.label : '';

  return (
    <fieldset className="nnb-config" disabled={disabled}>
      <legend>Training</legend>
      <label className="nnb-field">
        <span>Data</span>
        <select value={kind} onChange={(e) => set('data', e.target.value === 'builtin' ? { kind: 'builtin', name: 'spiral' } : { kind: e.target.value, path: e.target.value === 'csv' ? 'data.csv' : 'data.safetensors' })}>
          <option value="builtin">Built-in set</option>
          <option value="csv">CSV file</option>
          <option value="safetensors">safetensors (x, y)</option>
        </select>
      </label>
      {kind === 'builtin' && (
        <label className="nnb-field">
          <span>Set</span>
          <select value={String(data.name ?? 'spiral')} onChange={(e) => setIn('data', data, 'name', e.target.value)}>
            {BUILTIN_NAMES.map((n) => (
              <option key={n} value={n}>{n === 'spiral' ? 'spiral "flower"' : n === 'moons' ? 'two moons' : 'y = x^2 (regression)'}</option>
            ))}
          </select>
        </label>
      )}
      {kind !== 'builtin' && (
        <label className="nnb-field">
          <span>File</span>
          <input type="text" value={String(data.path ?? '')} placeholder="data/train.csv" onChange={(e) => setIn('data', data, 'path', e.target.value)} onBlur={() => kind === 'csv' && typeof data.path === 'string' && data.path !== '' && onPreviewCsv(data.path)} />
        </label>
      )}
      {kind === 'csv' && csvPreview !== null && (
        <div className="nnb-csv">
          {csvPreview.error !== null && <div className="nnb-error">{csvPreview.error}</div>}
          {columns.length > 0 && (
            <>
              <label className="nnb-field">
                <span>Label column</span>
                <select value={label} onChange={(e) => setIn('data', data, 'label', e.target.value === '' ? undefined : e.target.value)}>
                  <option value="">(last column)</option>
                  {columns.map((c) => <option key={c} value={c}>{c}</option>)}
                </select>
              </label>
              <div className="nnb-field">
                <span>Features</span>
                <div className="nnb-columns">
                  {columns.filter((c) => c !== label).map((c) => (
                    <label key={c}>
                      <input
                        type="checkbox"
                        checked={features.length === 0 || features.includes(c)}
                        onChange={(e) => {
                          const current = features.length === 0 ? columns.filter((x) => x !== label) : features;
                          const next = e.target.checked ? [...current, c] : current.filter((x) => x !== c);
                          setIn('data', data, 'features', next);
                        }}
                      />
                      {c}
                    </label>
                  ))}
                </div>
              </div>
              <table className="nnb-preview">
                <thead><tr>{columns.map((c) => <th key={c}>{c}</th>)}</tr></thead>
                <tbody>{csvPreview.rows.map((r, i) => <tr key={i}>{r.map((v, j) => <td key={j}>{v}</td>)}</tr>)}</tbody>
              </table>
            </>
          )}
        </div>
      )}
      <label className="nnb-field">
        <span>Loss</span>
        <select value={loss} onChange={(e) => set('loss', e.target.value)}>
          {LOSS_NAMES.map((n) => <option key={n} value={n}>{n}</option>)}
        </select>
      </label>
      <label className="nnb-field">
        <span>Optimizer</span>
        <select value={optType} onChange={(e) => set('optimizer', { type: e.target.value, lr: optimizer.lr ?? 0.01 })}>
          {OPTIMIZER_NAMES.map((n) => <option key={n} value={n}>{n}</option>)}
        </select>
      </label>
      <NumberField label="Learning rate" value={optimizer.lr} min={0} onChange={(v) => setIn('optimizer', optimizer, 'lr', v)} />
      {(optType === 'SGD' || optType === 'RMSprop') && <NumberField label="Momentum" value={optimizer.momentum} min={0} placeholder="0" onChange={(v) => setIn('optimizer', optimizer, 'momentum', v)} />}
      <NumberField label="Weight decay" value={optimizer.weightDecay} min={0} placeholder={optType === 'AdamW' ? '0.01' : '0'} onChange={(v) => setIn('optimizer', optimizer, 'weightDecay', v)} />
      <label className="nnb-field">
        <span>LR schedule</span>
        <select value={schedule === null ? 'none' : String(schedule.type)} onChange={(e) => set('schedule', e.target.value === 'none' ? undefined : e.target.value === 'StepLR' ? { type: 'StepLR', stepSize: 10, gamma: 0.1 } : e.target.value === 'ExponentialLR' ? { type: 'ExponentialLR', gamma: 0.95 } : { type: 'CosineAnnealingLR', tMax: Number(section.epochs ?? 10) })}>
          <option value="none">constant</option>
          <option value="StepLR">StepLR</option>
          <option value="ExponentialLR">ExponentialLR</option>
          <option value="CosineAnnealingLR">CosineAnnealingLR</option>
        </select>
      </label>
      {schedule !== null && schedule.type === 'StepLR' && <NumberField label="Step size (epochs)" value={schedule.stepSize} min={1} step={1} onChange={(v) => setIn('schedule', schedule, 'stepSize', v)} />}
      {schedule !== null && schedule.type !== 'CosineAnnealingLR' && <NumberField label="Gamma" value={schedule.gamma} min={0} onChange={(v) => setIn('schedule', schedule, 'gamma', v)} />}
      {schedule !== null && schedule.type === 'CosineAnnealingLR' && <NumberField label="T max (epochs)" value={schedule.tMax} min={1} onChange={(v) => setIn('schedule', schedule, 'tMax', v)} />}
      <NumberField label="Epochs" value={section.epochs} min={1} step={1} onChange={(v) => set('epochs', v)} />
      <label className="nnb-field">
        <span>Batch size</span>
        <input type="text" value={typeof section.batchSize === 'number' ? String(section.batchSize) : 'full'} onChange={(e) => set('batchSize', e.target.value.trim() === '' || e.target.value.trim() === 'full' ? undefined : Number(e.target.value))} />
      </label>
      <label className="nnb-field nnb-check">
        <input type="checkbox" checked={section.shuffle !== false} onChange={(e) => set('shuffle', e.target.checked)} />
        <span>Shuffle each epoch</span>
      </label>
      <NumberField label="Validation split" value={section.validationSplit} min={0} max={0.9} step={0.05} placeholder="0" onChange={(v) => set('validationSplit', v)} />
      <NumberField label="Seed" value={section.seed} step={1} placeholder="0" onChange={(v) => set('seed', v)} />
      <NumberField label="Checkpoint every (steps)" value={section.checkpointEvery} min={0} step={1} placeholder="auto" onChange={(v) => set('checkpointEvery', v === 0 ? undefined : v)} />
      {problems.length > 0 && (
        <ul className="nnb-problems" data-testid="training-problems">
          {problems.map((p) => <li key={p}>{p}</li>)}
        </ul>
      )}
    </fieldset>
  );
}
