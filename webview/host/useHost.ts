/**
 * The webview's half of the protocol (protocol/editor.ts): the document as the host last sent it, Workspace
 * Trust, the notice to show, and `sendEdit`, which shows an edit at once and numbers it for the host.
 *
 * A document message says which of this page's edits it includes (`edit`). While a later edit is still
 * on its way to the host, such a message is older than the canvas (the user's newer edit would flicker
 * away and back), so it is dropped: the host answers every edit with the text that includes it. Training
 * messages go to the training bus; anything else that does not parse is reported to the host's log.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { HostMessageSchema } from '../../protocol/editor';
import type { EditOp } from '../../protocol/edits';
import { describeIssues, isTrainingType, preview } from '../../protocol/messages';
import type { UiState } from '../../protocol/ui_state';
import { postToHost } from '../vscode';
import { trainingBus } from './trainingBus';

export interface HostState {
  /** The document text shown: the host's, or this page's newer optimistic edit of it. Null before the first. */
  text: string | null;
  /** The document version of the host's text last taken (0 before). */
  version: number;
  fileName: string;
  trusted: boolean;
  /** The user's `nnblocks.sizeWarningParameters`, null for the analysis's default. */
  warnParams: number | null;
  notice: string | null;
  setNotice: (notice: string | null) => void;
  /** Shows `text` (the result of `op` applied here) and sends `op` to the host. */
  sendEdit: (op: EditOp, text: string) => void;
  /** The node the host asked to show last (`seq` counts the asks, so asking for the same node again shows it again). */
  revealRequest: { id: string; seq: number } | null;
}

const NOTICE_MS = 8000;

export function useHost(onUiState: (state: UiState | null) => void): HostState {
  const [text, setText] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [fileName, setFileName] = useState('model.nnb.json');
  const [trusted, setTrusted] = useState(true);
  const [warnParams, setWarnParams] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [revealRequest, setRevealRequest] = useState<HostState['revealRequest']>(null);
  /** The number of this page's last edit sent. */
  const sent = useRef(0);
  const uiStateHandler = useRef(onUiState);
  uiStateHandler.current = onUiState;

  useEffect(() => {
    const onMessage = (e: MessageEvent) => {
      const data: unknown = e.data;
      const type = typeof data === 'object' && data !== null ? (data as { type?: unknown }).type : undefined;
      if (isTrainingType(type)) return trainingBus.publish(data);
      const r = HostMessageSchema.safeParse(data);
      if (!r.success) {
        postToHost({ type: 'webviewError', message: `ignored a malformed message from the host: ${describeIssues(r.error)} (${preview(data)})` });
        return;
      }
      const m = r.data;
      switch (m.type) {
        case 'document':
          if (m.edit < sent.current) return; // overtaken by this page's own newer edits
          setText(m.text);
          setVersion(m.version);
          setFileName(m.fileName);
          break;
        case 'editRefused':
          setNotice(m.reason);
          break;
        case 'trust':
          setTrusted(m.trusted);
          break;
        case 'uiState':
          uiStateHandler.current(m.state);
          break;
        case 'settings':
          setWarnParams(m.warnParams);
          break;
        case 'reveal':
          setRevealRequest((r) => ({ id: m.id, seq: (r?.seq ?? 0) + 1 }));
          break;
      }
    };
    window.addEventListener('message', onMessage);
    postToHost({ type: 'ready' });
    return () => window.removeEventListener('message', onMessage);
  }, []);

  useEffect(() => {
    if (notice === null) return;
    const t = setTimeout(() => setNotice(null), NOTICE_MS);
    return () => clearTimeout(t);
  }, [notice]);

  const sendEdit = useCallback((op: EditOp, next: string) => {
    setText(next);
    sent.current += 1;
    postToHost({ type: 'edit', op, seq: sent.current });
  }, []);

  return { text, version, fileName, trusted, warnParams, notice, setNotice, sendEdit, revealRequest };
}
