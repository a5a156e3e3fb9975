/** The problems list under the canvas: every diagnostic, click to select the node at fault. */
import { memo } from 'react';
import type { Diagnostic } from '../../engine/graph/analyze';

export const Problems = memo(function Problems({ diagnostics, onReveal }: { diagnostics: Diagnostic[]; onReveal: (id: string) => void }) {
  if (diagnostics.length === 0)
    return (
      <div className="nnb-problem-list nnb-problem-list-empty" data-testid="problems">
        No problems: every shape checks.
      </div>
    );
  return (
    <ul className="nnb-problem-list" data-testid="problems" aria-label="Problems">
      {diagnostics.map((d, i) => (
        <li key={`${d.id}:${i}`} className={`nnb-problem nnb-sev-${d.severity}`} onClick={() => d.id && onReveal(d.id)} title="Show on the canvas">
          <span className="nnb-problem-icon">{d.severity === 'error' ? '⨯' : '!'}</span>
          <span className="nnb-problem-id">{d.id || 'model'}</span>
          <span className="nnb-problem-msg">{d.message}</span>
        </li>
      ))}
    </ul>
  );
});
