/**
 * Thin React wrappers over @vscode-elements/elements (VS Code's own look for inputs and buttons). Events
 * are attached with addEventListener on a ref: it works the same for every custom element and React version.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-divider/index.js';

type ElementProps = { children?: ReactNode; class?: string; ref?: unknown; [key: string]: unknown };
declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'vscode-button': ElementProps;
      'vscode-textfield': ElementProps;
      'vscode-checkbox': ElementProps;
      'vscode-single-select': ElementProps;
      'vscode-option': ElementProps;
      'vscode-badge': ElementProps;
      'vscode-divider': ElementProps;
    }
  }
}

function useEvent(ref: React.RefObject<HTMLElement | null>, name: string, handler: ((e: Event) => void) | undefined) {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    const el = ref.current;
    if (el === null) return;
    const fn = (e: Event) => latest.current?.(e);
    el.addEventListener(name, fn);
    return () => el.removeEventListener(name, fn);
  }, [ref, name]);
}

export function Button({
  children,
  onClick,
  secondary,
  title,
  disabled,
  testId,
}: {
  children: ReactNode;
  onClick: () => void;
  secondary?: boolean;
  title?: string;
  disabled?: boolean;
  testId?: string;
}) {
  const ref = useRef<HTMLElement>(null);
  useEvent(ref, 'click', () => {
    if (!disabled) onClick();
  });
  return (
    <vscode-button ref={ref} secondary={secondary ? true : undefined} title={title} disabled={disabled ? true : undefined} data-testid={testId}>
      {children}
    </vscode-button>
  );
}

/** A text field that commits on Enter or blur; `invalid` shows VS Code's error outline. */
export function TextField({
  value,
  onCommit,
  onInput,
  invalid,
  placeholder,
  label,
  testId,
}: {
  value: string;
  onCommit: (v: string) => void;
  onInput?: (v: string) => void;
  invalid?: boolean;
  placeholder?: string;
  label?: string;
  testId?: string;
}) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current && ref.current.value !== value && document.activeElement !== ref.current) ref.current.value = value;
  }, [value]);
  useEvent(ref, 'input', () => onInput?.(ref.current?.value ?? ''));
  useEvent(ref, 'change', () => onCommit(ref.current?.value ?? ''));
  useEvent(ref, 'keydown', (e) => {
    if ((e as KeyboardEvent).key === 'Enter') onCommit(ref.current?.value ?? '');
    e.stopPropagation(); // typing must not trigger canvas shortcuts (Delete, arrows)
  });
  return (
    <vscode-textfield
      ref={ref}
      value={value}
      invalid={invalid ? true : undefined}
      placeholder={placeholder}
      aria-label={label}
      data-testid={testId}
    />
  );
}

export function Checkbox({ checked, onChange, label, testId }: { checked: boolean; onChange: (v: boolean) => void; label: string; testId?: string }) {
  const ref = useRef<HTMLInputElement>(null);
  useEvent(ref, 'change', () => onChange(Boolean(ref.current?.checked)));
  return <vscode-checkbox ref={ref} checked={checked ? true : undefined} label={label} data-testid={testId} />;
}

export function Select({
  value,
  options,
  onChange,
  label,
  testId,
}: {
  value: string;
  options: { value: string; label: string }[];
  onChange: (v: string) => void;
  label?: string;
  testId?: string;
}) {
  const ref = useRef<HTMLSelectElement>(null);
  useEvent(ref, 'change', () => onChange(ref.current?.value ?? ''));
  useEffect(() => {
    if (ref.current && ref.current.value !== value) ref.current.value = value;
  }, [value]);
  return (
    <vscode-single-select ref={ref} value={value} aria-label={label} data-testid={testId}>
      {options.map((o) => (
        <vscode-option key={o.value} value={o.value} selected={o.value === value ? true : undefined}>
          {o.label}
        </vscode-option>
      ))}
    </vscode-single-select>
  );
}
