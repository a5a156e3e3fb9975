/**
 * The inputs of one optimizer or schedule, drawn from its table entry (engine/optim/table.ts,
 * schedule_table.ts): one input per field, with the field's label, doc, limits and default, so a field
 * added to the table shows up here with no change to the form. Values equal to the default are not
 * written, and an emptied input removes the field: the section stays as short as the user made it.
 */
import type { FieldSpec, FieldTable } from '../../engine/optim/hyper';
import { NumberField } from './fields';
import { ruleOf } from './number_rule';

/** A field name as a test id: `weightDecay` → `weight-decay`. */
export const fieldTestId = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

interface Props {
  fields: FieldTable;
  /** The object in the section that holds the fields (the optimizer, the schedule). */
  values: Record<string, unknown>;
  /** Sets (undefined: removes) one field. */
  onField: (name: string, value: unknown) => void;
}

function FieldInput({ name, field, value, onField }: { name: string; field: FieldSpec; value: unknown; onField: Props['onField'] }) {
  const testId = fieldTestId(name);
  if (field.kind === 'boolean') {
    return (
      <label className="nnb-field nnb-check" title={field.doc}>
        <input
          type="checkbox"
          data-testid={testId}
          checked={typeof value === 'boolean' ? value : field.default}
          onChange={(e) => onField(name, e.target.checked === field.default ? undefined : e.target.checked)}
        />
        <span>{field.label}</span>
      </label>
    );
  }
  if (field.kind === 'number') {
    return (
      <NumberField
        label={field.label}
        title={field.doc}
        testId={testId}
        value={value}
        rule={ruleOf(field)}
        placeholder={field.required ? undefined : String(field.default)}
        onChange={(v) => onField(name, v)}
      />
    );
  }
  const pair = Array.isArray(value) && value.length === 2 ? (value as number[]) : null;
  // Both numbers are one field: an emptied input takes its default, and the defaults are not written.
  const setPart = (i: 0 | 1, v: number | undefined) => {
    const next = pair ? [...pair] : [...field.default];
    next[i] = v ?? field.default[i];
    onField(name, next[0] === field.default[0] && next[1] === field.default[1] ? undefined : next);
  };
  return (
    <>
      {([0, 1] as const).map((i) => (
        <NumberField
          key={i}
          label={field.labels[i]}
          title={field.doc}
          testId={`${testId}-${i + 1}`}
          value={pair?.[i]}
          rule={{ ...field, optional: true }}
          placeholder={String(field.default[i])}
          onChange={(v) => setPart(i, v)}
        />
      ))}
    </>
  );
}

export function TableFields({ fields, values, onField }: Props) {
  return (
    <>
      {Object.entries(fields).map(([name, field]) => (
        <FieldInput key={name} name={name} field={field} value={values[name]} onField={onField} />
      ))}
    </>
  );
}
