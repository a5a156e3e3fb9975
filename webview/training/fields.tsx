/**
 * Form fields that keep what the user is typing. The document only accepts valid training sections (an
 * edit with `lr: 0` or no epochs is refused), so a field bound straight to the document would snap back
 * on every keystroke that is not yet valid: clearing "1" to type "0.05" would be impossible. Each field
 * holds its text as a draft, hands on only values that parse and fit, marks the rest as invalid with the
 * reason, and shows the document's value again when it loses focus.
 */
import { useEffect, useState } from 'react';
import { parseNumber, type NumberRule, type Parsed } from './number_rule';

function useDraft<T>(value: T | undefined, show: (v: T | undefined) => string, parse: (text: string) => Parsed<T | undefined>, onChange: (v: T | undefined) => void) {
  const [draft, setDraft] = useState<string | null>(null);
  // A new value is either this field's own edit coming back (keep the text: "1." must stay "1." while
  // "1.5" is typed) or a change from elsewhere, such as undo (show it).
  useEffect(() => {
    setDraft((d) => {
      if (d === null) return null;
      const p = parse(d);
      return p.ok && p.value === value ? d : null;
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  const text = draft ?? show(value);
  const parsed = parse(text);
  return {
    text,
    invalid: parsed.ok ? null : parsed.reason,
    change: (t: string) => {
      setDraft(t);
      const p = parse(t);
      if (p.ok && p.value !== value) onChange(p.value);
    },
    blur: () => setDraft(null),
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
      <span>{label}{invalid !== null && <em> ({invalid})</em>}</span>
      {children}
    </label>
  );
}

export function NumberField({ label, value, onChange, rule = {}, testId, placeholder, disabled, title }: FieldProps & { value: unknown; onChange: (v: number | undefined) => void; rule?: NumberRule }) {
  const d = useDraft<number>(typeof value === 'number' ? value : undefined, (v) => (v === undefined ? '' : String(v)), (t) => parseNumber(t, rule), onChange);
  return (
    <Shell label={label} invalid={d.invalid} title={title}>
      <input type="text" inputMode="decimal" data-testid={testId} placeholder={placeholder} disabled={disabled} value={d.text} aria-invalid={d.invalid !== null} onChange={(e) => d.change(e.target.value)} onBlur={d.blur} />
    </Shell>
  );
}

/** Free text that must not be empty (a file path), or a custom parse. */
export function TextField<T>({ label, value, onChange, parse, show, testId, placeholder, disabled, title, onCommit }: FieldProps & { value: T | undefined; onChange: (v: T | undefined) => void; parse: (text: string) => Parsed<T | undefined>; show: (v: T | undefined) => string; onCommit?: () => void }) {
  const d = useDraft<T>(value, show, parse, onChange);
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
