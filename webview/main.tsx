/** Webview entry point: mounts the editor. Styles are bundled into editor.css beside this script. */
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './editor.css';
import { App } from './App';
import { ErrorBoundary } from './ErrorBoundary';
import { postToHost } from './vscode';

// Failures outside rendering (an event handler, a promise) reach the host's log too.
window.addEventListener('error', (e) =>
  postToHost({ type: 'webviewError', message: e.error instanceof Error ? (e.error.stack ?? e.error.message) : String(e.message) }),
);
window.addEventListener('unhandledrejection', (e) =>
  postToHost({ type: 'webviewError', message: e.reason instanceof Error ? (e.reason.stack ?? e.reason.message) : String(e.reason) }),
);

const openText = () => postToHost({ type: 'command', command: 'openText' });
createRoot(document.getElementById('root') as HTMLElement).render(
  <ErrorBoundary openText={openText}>
    <App />
  </ErrorBoundary>,
);
