/**
 * Form fields that keep what the user is typing. The document only accepts valid training sections (an
 * edit with `lr: 0` or no epochs is refused), so a field bound straight to the document would snap back
 * on every keystroke that is not yet valid: clearing "1" to type "0.05" would be impossible. Each field
 * holds its text as a draft, hands on only values that parse and fit, marks the rest as invalid with the
 * reason, and shows the document's value again when it loses the focus with a valid text (an invalid one
 * stays, with its reason, until it is fixed).
 *
 * While a field has the focus its text is the user's alone: the document's answer to an earlier
 * keystroke can arrive after later ones (the host reports a change when it has applied it), and taking
 * it then would drop the characters typed since. A field whose text is invalid reports it to the form
 * (`InvalidFieldsContext`), so Train waits until it is fixed instead of running with the old value.
 */
import { createContext, useContext, useEffect, useId, useRef, useState } from 'react';
import { parseNumber, type NumberRule, type Parsed } from './number_rule';

/** Tells the form which field (by its React id) is invalid now, as "label: reason", or null once it is not. */
export type ReportInvalid = (id: string, problem: string | null) => void;
export const InvalidFieldsContext = createContext<ReportInvalid>(() => undefined);

function useDraft<T>(
  label: string,
  value: T | undefined,
  show: (v: T | undefined) => string,
  parse: (text: string) => Parsed<T | undefined>,
  onChange: (v: T | undefined) => void,
) {
  // null: no edit in progress, the document's value shows.
  const [draft, setDraft] = useState<string | null>(null);
  // What this field last handed on, so a text is sent once however late the document answers.
  const sent = useRef<{ value: T | undefined } | null>(null);
  const text = draft ?? show(value);
  const parsed = parse(text);
  const invalid = parsed.ok ? null : parsed.reason;
  const id = useId();
  const report = useContext(InvalidFieldsContext);
  useEffect(() => {
    report(id, invalid === null ? null : `${label}: ${invalid}`);
  }, [report, id, label, invalid]);
  useEffect(() => () => report(id, null), [report, id]);
  return {
    text,
    invalid,
    change: (t: string) => {
      setDraft(t);
      const p = parse(t);
      if (!p.ok) return;
      const last = sent.current === null ? value : sent.current.value;
      if (p.value === last) return;
      sent.current = { value: p.value };
      onChange(p.value);
    },
    // An invalid text stays (with its reason) so the user sees why Train waits; a valid one gives way
    // to the document's value (a change made elsewhere while the field was focused shows now).
    blur: () => {
      sent.current = null;
      if (invalid === null) setDraft(null);
    },
  };
}

interface FieldProps {
  label: string;
  testId?: string;
  placeholder?: string;
  disabled?: boolean;
  /** What the setting does (the table's doc), shown on hover. */
  title?: string;
}

function Shell({ label, invalid, title, children }: { label: string; invalid: string | null; title?: string; children: React.ReactNode }) {
  return (
    <label className={`nnb-field${invalid !== null ? ' nnb-invalid' : ''}`} title={title}>
      <span>
        {label}
        {invalid !== null && <em> ({invalid})</em>}
      </span>
      {children}
    </label>
  );
}

export function NumberField({
  label,
  value,
  onChange,
  rule = {},
  testId,
  placeholder,
  disabled,
  title,
}: FieldProps & { value: unknown; onChange: (v: number | undefined) => void; rule?: NumberRule }) {
  const d = useDraft<number>(
    label,
    typeof value === 'number' ? value : undefined,
    (v) => (v === undefined ? '' : String(v)),
    (t) => parseNumber(t, rule),
    onChange,
  );
  return (
    <Shell label={label} invalid={d.invalid} title={title}>
      <input
        type="text"
        inputMode="decimal"
        data-testid={testId}
        placeholder={placeholder}
        disabled={disabled}
        value={d.text}
        aria-invalid={d.invalid !== null}
        onChange={(e) => d.change(e.target.value)}
        onBlur={d.blur}
      />
    </Shell>
  );
}

/** Free text that must not be empty (a file path), or a custom parse. */
export function TextField<T>({
  label,
  value,
  onChange,
  parse,
  show,
  testId,
  placeholder,
  disabled,
  title,
  onCommit,
}: FieldProps & {
  value: T | undefined;
  onChange: (v: T | undefined) => void;
  parse: (text: string) => Parsed<T | undefined>;
  show: (v: T | undefined) => string;
  onCommit?: () => void;
}) {
  const d = useDraft<T>(label, value, show, parse, onChange);
  return (
    <Shell label={label} invalid={d.invalid} title={title}>
      <input
        type="text"
        data-testid={testId}
        placeholder={placeholder}
        disabled={disabled}
        value={d.text}
        aria-invalid={d.invalid !== null}
        onChange={(e) => d.change(e.target.value)}
        onBlur={() => {
          d.blur();
          onCommit?.();
        }}
      />
    </Shell>
  );
}
