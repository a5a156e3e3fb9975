/** A small inline dialog asking for a name (webviews cannot use window.prompt). */
import { useEffect, useRef, useState } from 'react';

export function Prompt({
  title,
  initial,
  validate,
  onDone,
}: {
  title: string;
  initial: string;
  validate: (v: string) => string | null;
  onDone: (v: string | null) => void;
}) {
  const [value, setValue] = useState(initial);
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    ref.current?.select();
  }, []);
  const problem = validate(value);
  return (
    <div className="nnb-prompt" role="dialog" aria-label={title}>
      <label>
        {title}
        <input
          ref={ref}
          value={value}
          data-testid="prompt-input"
          aria-invalid={problem !== null}
          onChange={(e) => setValue(e.target.value)}
          onKeyDown={(e) => {
            e.stopPropagation();
            if (e.key === 'Enter' && problem === null) onDone(value);
            if (e.key === 'Escape') onDone(null);
          }}
        />
      </label>
      {problem && <span className="nnb-field-error">{problem}</span>}
      <div className="nnb-prompt-buttons">
        <button disabled={problem !== null} onClick={() => onDone(value)}>
          OK
        </button>
        <button className="secondary" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </div>
  );
}
