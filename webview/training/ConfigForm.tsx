/**
 * The training section form: data, loss, optimizer and its hyper-parameters, learning-rate schedule,
 * epochs, batch size, shuffle, validation split, seed, checkpoint and logging intervals. Every change
 * produces a whole new section that the panel hands to the editor as an edit of the document (the
 * webview never writes the file); number fields keep a draft while the user types (fields.tsx), so only
 * sections the document accepts are sent.
 */
import { LOSS_NAMES, OPTIMIZER_NAMES } from '../../engine/train/config';
import type { CsvPreview } from '../../protocol/training';
import { NumberField, TextField, parseNumber, type Parsed } from './fields';
import { DataFields } from './DataFields';
import { asRecord, type Section } from './checks';

interface Props {
  section: Section;
  onChange: (next: Section) => void;
  /** Values per sample the model outputs (from the editor's shape inference), when known. */
  outputSize?: number;
  csvPreview: CsvPreview | null;
  onPreviewCsv: (path: string, section: Section) => void;
  disabled?: boolean;
}

/** Batch size: a whole number, or 'full' (empty) for one batch of the whole training split. */
function parseBatch(text: string): Parsed<number | undefined> {
  const t = text.trim().toLowerCase();
  if (t === '' || t === 'full') return { ok: true, value: undefined };
  const p = parseNumber(t, { integer: true, min: 1 });
  return p.ok ? p : { ok: false, reason: `${p.reason}, or 'full'` };
}

const SCHEDULES: Record<string, (section: Section) => Record<string, unknown>> = {
  StepLR: () => ({ type: 'StepLR', stepSize: 10, gamma: 0.1 }),
  ExponentialLR: () => ({ type: 'ExponentialLR', gamma: 0.95 }),
  CosineAnnealingLR: (s) => ({ type: 'CosineAnnealingLR', tMax: typeof s.epochs === 'number' ? s.epochs : 10 }),
};

export function ConfigForm({ section, onChange, outputSize, csvPreview, onPreviewCsv, disabled }: Props) {
  const optimizer = asRecord(section.optimizer);
  const schedule = section.schedule === null || section.schedule === undefined || asRecord(section.schedule).type === 'none' ? null : asRecord(section.schedule);
  const lossType = typeof section.loss === 'string' ? section.loss : String(asRecord(section.loss).type ?? 'MSELoss');
  const reduction = typeof section.loss === 'object' && section.loss !== null ? String(asRecord(section.loss).reduction ?? 'mean') : 'mean';
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
  // The loss is written in its short form ("BCEWithLogitsLoss") unless the reduction is not the default.
  const setLoss = (type: string, red: string) => set('loss', red === 'mean' ? type : { type, reduction: red });
  const optType = String(optimizer.type ?? 'SGD');
  const betas = Array.isArray(optimizer.betas) ? (optimizer.betas as number[]) : null;
  // Betas are one option of two numbers; an emptied field takes PyTorch's default, and the defaults are not written.
  const setBeta = (i: 0 | 1, v: number | undefined) => {
    const next: number[] = betas ? [...betas] : [0.9, 0.999];
    next[i] = v ?? (i === 0 ? 0.9 : 0.999);
    setIn('optimizer', optimizer, 'betas', next[0] === 0.9 && next[1] === 0.999 ? undefined : next);
  };

  return (
    <fieldset className="nnb-config" disabled={disabled} data-testid="training-form">
      <DataFields section={section} onData={(d) => set('data', d)} outputSize={outputSize} csvPreview={csvPreview} onPreviewCsv={onPreviewCsv} />
      <label className="nnb-field">
        <span>Loss</span>
        <select data-testid="loss" value={lossType} onChange={(e) => setLoss(e.target.value, reduction)}>
          {LOSS_NAMES.map((n) => <option key={n} value={n}>{n}</option>)}
        </select>
      </label>
      <label className="nnb-field">
        <span>Reduction</span>
        <select data-testid="loss-reduction" value={reduction} onChange={(e) => setLoss(lossType, e.target.value)}>
          <option value="mean">mean</option>
          <option value="sum">sum</option>
        </select>
      </label>
      <label className="nnb-field">
        <span>Optimizer</span>
        <select data-testid="optimizer" value={optType} onChange={(e) => set('optimizer', { type: e.target.value, lr: optimizer.lr ?? 0.01, ...(optimizer.weightDecay !== undefined ? { weightDecay: optimizer.weightDecay } : {}) })}>
          {OPTIMIZER_NAMES.map((n) => <option key={n} value={n}>{n}</option>)}
        </select>
      </label>
      <NumberField label="Learning rate" testId="lr" value={optimizer.lr} rule={{ min: 0, minExclusive: true }} onChange={(v) => setIn('optimizer', optimizer, 'lr', v)} />
      {(optType === 'SGD' || optType === 'RMSprop') && <NumberField label="Momentum" testId="momentum" value={optimizer.momentum} rule={{ min: 0, optional: true }} placeholder="0" onChange={(v) => setIn('optimizer', optimizer, 'momentum', v)} />}
      {optType === 'SGD' && (
        <label className="nnb-field nnb-check">
          <input type="checkbox" data-testid="nesterov" checked={optimizer.nesterov === true} onChange={(e) => setIn('optimizer', optimizer, 'nesterov', e.target.checked ? true : undefined)} />
          <span>Nesterov momentum</span>
        </label>
      )}
      {(optType === 'Adam' || optType === 'AdamW') && (
        <>
          <NumberField label="Beta 1" testId="beta1" value={betas?.[0]} rule={{ min: 0, max: 0.999999, optional: true }} placeholder="0.9" onChange={(v) => setBeta(0, v)} />
          <NumberField label="Beta 2" testId="beta2" value={betas?.[1]} rule={{ min: 0, max: 0.999999, optional: true }} placeholder="0.999" onChange={(v) => setBeta(1, v)} />
        </>
      )}
      {optType === 'RMSprop' && (
        <>
          <NumberField label="Alpha (smoothing)" testId="alpha" value={optimizer.alpha} rule={{ min: 0, minExclusive: true, optional: true }} placeholder="0.99" onChange={(v) => setIn('optimizer', optimizer, 'alpha', v)} />
          <label className="nnb-field nnb-check">
            <input type="checkbox" data-testid="centered" checked={optimizer.centered === true} onChange={(e) => setIn('optimizer', optimizer, 'centered', e.target.checked ? true : undefined)} />
            <span>Centered</span>
          </label>
        </>
      )}
      <NumberField label="Weight decay" testId="weight-decay" value={optimizer.weightDecay} rule={{ min: 0, optional: true }} placeholder={optType === 'AdamW' ? '0.01' : '0'} onChange={(v) => setIn('optimizer', optimizer, 'weightDecay', v)} />
      <label className="nnb-field">
        <span>LR schedule</span>
        <select data-testid="schedule" value={schedule === null ? 'none' : String(schedule.type)} onChange={(e) => set('schedule', e.target.value === 'none' ? undefined : SCHEDULES[e.target.value](section))}>
          <option value="none">constant</option>
          {Object.keys(SCHEDULES).map((n) => <option key={n} value={n}>{n}</option>)}
        </select>
      </label>
      {schedule !== null && schedule.type === 'StepLR' && <NumberField label="Step size (epochs)" testId="step-size" value={schedule.stepSize} rule={{ integer: true, min: 1 }} onChange={(v) => setIn('schedule', schedule, 'stepSize', v)} />}
      {schedule !== null && schedule.type === 'StepLR' && <NumberField label="Gamma" testId="gamma" value={schedule.gamma} rule={{ min: 0, minExclusive: true, optional: true }} placeholder="0.1" onChange={(v) => setIn('schedule', schedule, 'gamma', v)} />}
      {schedule !== null && schedule.type === 'ExponentialLR' && <NumberField label="Gamma" testId="gamma" value={schedule.gamma} rule={{ min: 0, minExclusive: true }} onChange={(v) => setIn('schedule', schedule, 'gamma', v)} />}
      {schedule !== null && schedule.type === 'CosineAnnealingLR' && (
        <>
          <NumberField label="T max (epochs)" testId="t-max" value={schedule.tMax} rule={{ integer: true, min: 1 }} onChange={(v) => setIn('schedule', schedule, 'tMax', v)} />
          <NumberField label="Minimum LR" testId="eta-min" value={schedule.etaMin} rule={{ min: 0, optional: true }} placeholder="0" onChange={(v) => setIn('schedule', schedule, 'etaMin', v)} />
        </>
      )}
      <NumberField label="Epochs" testId="epochs" value={section.epochs} rule={{ integer: true, min: 1 }} onChange={(v) => set('epochs', v)} />
      <TextField<number> label="Batch size" testId="batch-size" value={typeof section.batchSize === 'number' ? section.batchSize : undefined} show={(v) => (v === undefined ? 'full' : String(v))} parse={parseBatch} onChange={(v) => set('batchSize', v)} />
      <label className="nnb-field nnb-check">
        <input type="checkbox" data-testid="shuffle" checked={section.shuffle !== false} onChange={(e) => set('shuffle', e.target.checked)} />
        <span>Shuffle each epoch</span>
      </label>
      <NumberField label="Validation split" testId="validation-split" value={section.validationSplit} rule={{ min: 0, max: 0.9, optional: true }} placeholder="0" onChange={(v) => set('validationSplit', v)} />
      <NumberField label="Seed" testId="seed" value={section.seed} rule={{ integer: true, optional: true }} placeholder="0" onChange={(v) => set('seed', v)} />
      <NumberField label="Checkpoint every (steps)" testId="checkpoint-every" value={section.checkpointEvery} rule={{ integer: true, min: 1, optional: true }} placeholder="auto (10 per run)" onChange={(v) => set('checkpointEvery', v)} />
      <NumberField label="Log every (steps)" testId="log-every" value={section.logEvery} rule={{ integer: true, min: 1, optional: true }} placeholder="auto (100 per run)" onChange={(v) => set('logEvery', v)} />
    </fieldset>
  );
}
