/**
 * Copy, cut and paste of canvas nodes through the system clipboard, as JSON text (copyNodes' payload),
 * so nodes paste into another editor or model too. Text fields keep their own clipboard.
 */
import { useEffect, useRef } from 'react';
import type { ModelDocument } from '../engine/graph/format';
import { copyNodes, isClipboardPayload, locate, type EditOp, type Placement } from '../engine/graph/edits';

const TEXT_INPUTS = 'input, textarea, vscode-textfield';

export interface ClipboardEnv {
  doc: ModelDocument | null;
  selected: string[];
  edit(op: EditOp): void;
  /** Where pasted nodes go. */
  placement(): Placement;
}

export function useClipboard(env: () => ClipboardEnv): void {
  const current = useRef(env);
  current.current = env;
  useEffect(() => {
    const inText = (e: ClipboardEvent) => (e.target as HTMLElement).closest?.(TEXT_INPUTS) != null;
    const onCopy = (e: ClipboardEvent) => {
      const { doc, selected, edit } = current.current();
      const sel = selected.filter((id) => doc && locate(doc, id));
      if (doc === null || sel.length === 0 || inText(e)) return;
      e.clipboardData?.setData('text/plain', JSON.stringify(copyNodes(doc, sel)));
      e.preventDefault();
      if (e.type === 'cut') edit({ kind: 'delete', ids: sel });
    };
    const onPaste = (e: ClipboardEvent) => {
      if (inText(e)) return;
      let payload: unknown;
      try {
        payload = JSON.parse(e.clipboardData?.getData('text/plain') ?? '');
      } catch {
        return;
      }
      if (!isClipboardPayload(payload)) return;
      e.preventDefault();
      const { edit, placement } = current.current();
      edit({ kind: 'paste', payload, placement: placement() });
    };
    document.addEventListener('copy', onCopy);
    document.addEventListener('cut', onCopy);
    document.addEventListener('paste', onPaste);
    return () => {
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('cut', onCopy);
      document.removeEventListener('paste', onPaste);
    };
  }, []);
}
