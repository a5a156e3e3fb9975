/**
 * The training section form: data, loss, optimizer and its hyper-parameters, learning-rate schedule,
 * epochs, batch size, shuffle, validation split, seed, checkpoint and logging intervals. Every change
 * produces a whole new section that the panel hands to the editor as an edit of the document (the
 * webview never writes the file); number fields keep a draft while the user types (fields.tsx), so only
 * sections the document accepts are sent. Names, labels, docs, defaults and limits all come from the
 * grammar's tables (engine/graph/training.ts, engine/optim/table.ts, schedule_table.ts).
 */
import { LOSS_NAMES, LOSSES, REDUCTIONS, SECTION_FIELDS, type LossName } from '../../engine/graph/training';
import { OPTIMIZERS, OPTIMIZER_NAMES, type OptimizerName } from '../../engine/optim/table';
import { SCHEDULES, SCHEDULE_NAMES, scheduleDefaults, type ScheduleName } from '../../engine/optim/schedule_table';
import type { CsvPreview } from '../../protocol/training';
import { NumberField, TextField } from './fields';
import { parseNumber, ruleOf, type Parsed } from './number_rule';
import { DataFields } from './DataFields';
import { TableFields, fieldTestId } from './TableFields';
import { asRecord, type Section } from './checks';
import type { ImageDataState } from './ImageDataFields';

interface Props {
  section: Section;
  onChange: (next: Section) => void;
  /** Values per sample the model outputs (from the editor's shape inference), when known. */
  outputSize?: number;
  csvPreview: CsvPreview | null;
  onPreviewCsv: (path: string, section: Section) => void;
  images: ImageDataState;
  disabled?: boolean;
}

/** Batch size: a whole number, or 'full' (empty) for one batch of the whole training split. */
function parseBatch(text: string): Parsed<number | undefined> {
  const t = text.trim().toLowerCase();
  if (t === '' || t === SECTION_FIELDS.batchSize.absent) return { ok: true, value: undefined };
  const p = parseNumber(t, ruleOf(SECTION_FIELDS.batchSize));
  return p.ok ? p : { ok: false, reason: `${p.reason}, or '${SECTION_FIELDS.batchSize.absent}'` };
}

const isOptimizer = (n: string): n is OptimizerName => (OPTIMIZER_NAMES as string[]).includes(n);
const isSchedule = (n: string): n is ScheduleName => (SCHEDULE_NAMES as string[]).includes(n);
const isLoss = (n: string): n is LossName => (LOSS_NAMES as string[]).includes(n);

/** One of the section's own numbers, with its label, doc and limits from the grammar's SECTION_FIELDS. */
function SectionNumberField({
  name,
  section,
  set,
}: {
  name: 'epochs' | 'validationSplit' | 'seed' | 'checkpointEvery' | 'logEvery';
  section: Section;
  set: (key: string, value: unknown) => void;
}) {
  const f = SECTION_FIELDS[name];
  return (
    <NumberField
      label={f.label}
      title={f.doc}
      testId={fieldTestId(name)}
      value={section[name]}
      rule={ruleOf(f)}
      placeholder={'absent' in f ? f.absent : undefined}
      onChange={(v) => set(name, v)}
    />
  );
}

export function ConfigForm({ section, onChange, outputSize, csvPreview, onPreviewCsv, images, disabled }: Props) {
  const optimizer = asRecord(section.optimizer);
  const scheduleRecord = asRecord(section.schedule);
  const scheduleType = typeof scheduleRecord.type === 'string' && isSchedule(scheduleRecord.type) ? scheduleRecord.type : null;
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
  const optType: OptimizerName = typeof optimizer.type === 'string' && isOptimizer(optimizer.type) ? optimizer.type : 'SGD';
  // Another optimizer keeps the settings it shares with this one (the learning rate, weight decay).
  const switchOptimizer = (type: OptimizerName) => {
    const next: Record<string, unknown> = { type };
    for (const name of Object.keys(OPTIMIZERS[type].fields)) if (optimizer[name] !== undefined) next[name] = optimizer[name];
    next.lr ??= OPTIMIZERS[type].fields.lr.default;
    set('optimizer', next);
  };

  return (
    <fieldset className="nnb-config" disabled={disabled} data-testid="training-form">
      <DataFields
        section={section}
        onData={(d) => set('data', d)}
        outputSize={outputSize}
        csvPreview={csvPreview}
        onPreviewCsv={onPreviewCsv}
        images={images}
      />
      <label className="nnb-field">
        <span>Loss</span>
        <select
          data-testid="loss"
          value={lossType}
          title={isLoss(lossType) ? LOSSES[lossType].doc : undefined}
          onChange={(e) => setLoss(e.target.value, reduction)}
        >
          {LOSS_NAMES.map((n) => (
            <option key={n} value={n} title={LOSSES[n].doc}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <label className="nnb-field">
        <span>Reduction</span>
        <select data-testid="loss-reduction" value={reduction} onChange={(e) => setLoss(lossType, e.target.value)}>
          {REDUCTIONS.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <label className="nnb-field" title={OPTIMIZERS[optType].doc}>
        <span>Optimizer</span>
        <select data-testid="optimizer" value={optType} onChange={(e) => isOptimizer(e.target.value) && switchOptimizer(e.target.value)}>
          {OPTIMIZER_NAMES.map((n) => (
            <option key={n} value={n} title={OPTIMIZERS[n].doc}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <TableFields fields={OPTIMIZERS[optType].fields} values={optimizer} onField={(name, v) => setIn('optimizer', optimizer, name, v)} />
      <label className="nnb-field" title={scheduleType === null ? undefined : SCHEDULES[scheduleType].doc}>
        <span>LR schedule</span>
        <select
          data-testid="schedule"
          value={scheduleType ?? 'none'}
          onChange={(e) => set('schedule', isSchedule(e.target.value) ? { type: e.target.value, ...scheduleDefaults(e.target.value) } : undefined)}
        >
          <option value="none">constant</option>
          {SCHEDULE_NAMES.map((n) => (
            <option key={n} value={n} title={SCHEDULES[n].doc}>
              {n}
            </option>
          ))}
        </select>
      </label>
      {scheduleType !== null && (
        <TableFields
          fields={SCHEDULES[scheduleType].fields}
          values={scheduleRecord}
          onField={(name, v) => setIn('schedule', scheduleRecord, name, v)}
        />
      )}
      <SectionNumberField name="epochs" section={section} set={set} />
      <TextField<number>
        label={SECTION_FIELDS.batchSize.label}
        title={SECTION_FIELDS.batchSize.doc}
        testId="batch-size"
        value={typeof section.batchSize === 'number' ? section.batchSize : undefined}
        show={(v) => (v === undefined ? SECTION_FIELDS.batchSize.absent : String(v))}
        parse={parseBatch}
        onChange={(v) => set('batchSize', v)}
      />
      <label className="nnb-field nnb-check">
        <input type="checkbox" data-testid="shuffle" checked={section.shuffle !== false} onChange={(e) => set('shuffle', e.target.checked)} />
        <span>Shuffle each epoch</span>
      </label>
      <label className="nnb-field nnb-check">
        <input
          type="checkbox"
          data-testid="drop-last"
          checked={section.dropLast === true}
          onChange={(e) => set('dropLast', e.target.checked ? true : undefined)}
        />
        <span>Drop the last partial batch</span>
      </label>
      <SectionNumberField name="validationSplit" section={section} set={set} />
      <SectionNumberField name="seed" section={section} set={set} />
      <SectionNumberField name="checkpointEvery" section={section} set={set} />
      <SectionNumberField name="logEvery" section={section} set={set} />
    </fieldset>
  );
}
