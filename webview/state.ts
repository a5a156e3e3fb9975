/**
 * The editor's UI state (protocol/ui_state.ts): collapsed groups, dragged positions, viewport, scope,
 * side tab, selection. Saved in the webview's state at every change (instant when the editor is shown
 * again) and sent to the host shortly after, which keeps it per document for a window reload or another
 * editor of the file. A page with no saved state of its own takes the host's; it sends nothing before
 * it has heard the host's answer, so an empty first state never overwrites the one the host kept.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { EMPTY_UI_STATE, readUiState, type UiState } from '../protocol/ui_state';
import { loadState, postToHost, saveState } from './vscode';

export type { SideTab, UiState } from '../protocol/ui_state';

/** How long the host's copy may lag behind the viewport while it moves (a pan, a zoom); other changes go at once. */
const VIEWPORT_AFTER_MS = 250;

export type UiUpdate = (patch: Partial<UiState> | ((u: UiState) => Partial<UiState>)) => void;

export function useUiState(): { ui: UiState; update: UiUpdate; fromHost: (state: UiState | null) => void } {
  const saved = useRef(readUiState(loadState()));
  const [ui, setUi] = useState<UiState>(() => saved.current ?? EMPTY_UI_STATE);
  /** The host has answered with the state it kept: from now on changes go to it. */
  const [synced, setSynced] = useState(false);

  const fromHost = useCallback((state: UiState | null) => {
    if (saved.current === null && state !== null) setUi(state);
    setSynced(true);
  }, []);

  const sentRef = useRef<UiState | null>(null);
  useEffect(() => {
    if (!synced && saved.current === null) return;
    saveState(ui);
    if (!synced) return;
    const send = () => {
      sentRef.current = ui;
      postToHost({ type: 'uiState', state: ui });
    };
    const last = sentRef.current;
    const onlyViewport = last !== null && (Object.keys(ui) as (keyof UiState)[]).every((k) => k === 'viewport' || ui[k] === last[k]);
    if (!onlyViewport) return send();
    const t = setTimeout(send, VIEWPORT_AFTER_MS);
    return () => clearTimeout(t);
  }, [ui, synced]);

  const update = useCallback<UiUpdate>((patch) => setUi((u) => ({ ...u, ...(typeof patch === 'function' ? patch(u) : patch) })), []);
  return { ui, update, fromHost };
}
