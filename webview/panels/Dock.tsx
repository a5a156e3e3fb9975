/**
 * A panel beside the canvas (the palette, the inspector or training panel) that gives its place to the
 * canvas in a narrow editor (a split editor group, the code generated beside the graph): it shrinks to a
 * rail with a button, which opens the panel as an overlay on the canvas. Wide, it is the panel itself.
 */
import { useEffect, useState, type ReactNode } from 'react';

/** Below this width (CSS pixels) the palette and the side panel collapse to rails and the minimap hides. */
export const NARROW_EDITOR_PX = 760;

/**
 * Whether the editor (the webview, which it fills) is narrower than NARROW_EDITOR_PX, kept up to date as
 * the editor group is resized.
 */
export function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(() => window.innerWidth < NARROW_EDITOR_PX);
  useEffect(() => {
    const measure = () => setNarrow(window.innerWidth < NARROW_EDITOR_PX);
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  }, []);
  return narrow;
}

export function Dock({
  side,
  narrow,
  open,
  setOpen,
  label,
  testId,
  children,
}: {
  side: 'left' | 'right';
  narrow: boolean;
  open: boolean;
  setOpen: (open: boolean) => void;
  /** What the rail's button says (vertically) and opens. */
  label: string;
  testId: string;
  children: ReactNode;
}) {
  if (!narrow) return <>{children}</>;
  return (
    <>
      <div className={`nnb-rail nnb-rail-${side}`}>
        <button data-testid={`${testId}-toggle`} aria-expanded={open} title={open ? `Hide ${label}` : `Show ${label}`} onClick={() => setOpen(!open)}>
          {label}
        </button>
      </div>
      {open && (
        <div className={`nnb-overlay nnb-overlay-${side}`} data-testid={`${testId}-overlay`} onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
          <button className="nnb-overlay-close" aria-label={`Hide ${label}`} onClick={() => setOpen(false)}>
            ×
          </button>
          {children}
        </div>
      )}
    </>
  );
}
