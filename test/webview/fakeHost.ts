/**
 * Runs in the browser test's host page, standing in for VS Code: provides `acquireVsCodeApi`, keeps the
 * document text, applies edit operations the way the extension does (applyEdit + serializeDocument),
 * keeps an undo stack, and handles Ctrl+Z / Ctrl+Shift+Z the way VS Code does for a webview (the
 * workbench, not the webview, undoes the document). Every message the webview sends is recorded.
 */
import { validateDocument } from '../../engine/graph/parse';
import { serializeDocument } from '../../engine/graph/serialize';
import { applyEdit } from '../../engine/graph/edits';
import { isWebviewMessage } from '../../protocol/messages';

interface HostWindow {
  __initialText: string;
  __fileName: string;
  /** false: an untrusted workspace (set by the test before the page loads). */
  __trusted?: boolean;
  __sent: unknown[];
  __invalidMessages: unknown[];
  __state: unknown;
  /** The editor state the host kept for this document (workspaceState in the extension), handed over on 'ready'. */
  __hostUiState?: unknown;
  /** Content-Security-Policy violations: what was blocked, and by which directive. */
  __cspViolations: string[];
  __text: string;
  __undo: string[];
  __redo: string[];
  __setText(text: string): void;
  __nnbTrainingHost?: (m: unknown) => Promise<void>;
  /**
   * Milliseconds by which the document after an edit is reported late (set by a test before the page
   * loads). VS Code can deliver an edit's change event after the page's next edit has started applying,
   * so the report carries the newer edit's number with the older text; 0 or absent: at once.
   */
  __echoDelayMs?: number;
  acquireVsCodeApi(): { postMessage(m: unknown): void; getState(): unknown; setState(s: unknown): unknown };
}
const w = window as unknown as HostWindow;
w.__sent = [];
w.__invalidMessages = [];
w.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => w.__cspViolations.push(`${e.effectiveDirective}: ${e.blockedURI || 'inline'}`));
w.__text = w.__initialText;
w.__undo = [];
w.__redo = [];
let version = 1;
/** The number of the page's last edit taken (documents say which edits they include, as the extension's do). */
let lastEdit = 0;

const send = (m: unknown) => window.postMessage(m, '*');
const sendDocument = () => send({ type: 'document', text: w.__text, version: version++, edit: lastEdit, fileName: w.__fileName });

w.__setText = (text: string) => {
  w.__text = text;
  sendDocument();
};

function handle(m: unknown): void {
  w.__sent.push(JSON.parse(JSON.stringify(m)));
  if (typeof m === 'object' && m !== null && String((m as { type?: unknown }).type).startsWith('training/')) {
    // A test that trains exposes a Node-side stand-in for the extension's run manager (trainingBridge.ts).
    void w.__nnbTrainingHost?.(m);
    return;
  }
  if (!isWebviewMessage(m)) {
    w.__invalidMessages.push(m);
    return;
  }
  if (m.type === 'ready') {
    lastEdit = 0;
    send({ type: 'trust', trusted: w.__trusted !== false });
    send({ type: 'uiState', state: w.__hostUiState ?? null });
    sendDocument();
  } else if (m.type === 'uiState') {
    w.__hostUiState = m.state;
  } else if (m.type === 'edit') {
    lastEdit = m.seq;
    const v = validateDocument(w.__text);
    const r = v.ok ? applyEdit(v.document, m.op) : { ok: false as const, reason: 'invalid document' };
    if (!r.ok) {
      send({ type: 'editRefused', reason: r.reason });
      sendDocument();
      return;
    }
    w.__undo.push(w.__text);
    w.__redo = [];
    w.__text = serializeDocument(r.doc);
    const delay = w.__echoDelayMs ?? 0;
    if (delay === 0) sendDocument();
    else {
      const text = w.__text;
      setTimeout(() => send({ type: 'document', text, version: version++, edit: lastEdit, fileName: w.__fileName }), delay);
    }
  }
}

function step(kind: 'undo' | 'redo'): void {
  const from = kind === 'undo' ? w.__undo : w.__redo;
  const to = kind === 'undo' ? w.__redo : w.__undo;
  const text = from.pop();
  if (text === undefined) return;
  to.push(w.__text);
  w.__text = text;
  sendDocument();
}

let acquired = false;
w.acquireVsCodeApi = () => {
  if (acquired) throw new Error('acquireVsCodeApi may only be called once');
  acquired = true;
  return {
    postMessage: (m: unknown) => setTimeout(() => handle(m), 0),
    getState: () => w.__state,
    // As in VS Code, setState returns the state (a React effect returning it would crash there).
    setState: (s: unknown) => {
      w.__state = s;
      return s;
    },
  };
};

// VS Code's webview host forwards keydown to the workbench, which runs undo/redo on the document.
window.addEventListener('keydown', (e) => {
  const mod = e.ctrlKey || e.metaKey;
  if (!mod) return;
  if (e.key.toLowerCase() === 'z') step(e.shiftKey ? 'redo' : 'undo');
  else if (e.key.toLowerCase() === 'y') step('redo');
});
