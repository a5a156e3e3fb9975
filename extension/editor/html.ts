/**
 * The webview's HTML: a strict Content-Security-Policy (csp.ts) with a fresh nonce per load, resources
 * only from dist/webview and media/. The page paints a loading state in the theme's colours from its
 * first frame, before any script has run (styled inline, so it does not wait for editor.css either);
 * the editor removes it once it shows the document or the error view (webview/App.tsx).
 *
 * VS Code shows a webview's new page only once it has loaded (its `load` event, or 200 ms later on a
 * timer of the same thread), and a script or stylesheet in the page holds that back while it is
 * fetched (through VS Code's service worker), parsed and run: the editor area stayed white for that
 * long on every show. So the editor's stylesheet and script are added only after `load`: the page is
 * shown with its loading state at once, and they load behind it (the editor removes the loading state
 * once its stylesheet has arrived too).
 *
 * The body names the document's file, so that whoever reads the page (a screen reader's title aside, the
 * real-VS-Code tests with two editors side by side) can tell which model a page shows.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { BOOT_ELEMENT_ID as BOOT_ID } from '../../protocol/editor';
import { contentSecurityPolicy } from './csp';

export function webviewRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')];
}

const BOOT_STYLE = `
#${BOOT_ID} { position: fixed; inset: 0; display: flex; align-items: center; justify-content: center; gap: 10px;
  font-family: var(--vscode-font-family, sans-serif); font-size: var(--vscode-font-size, 13px);
  color: var(--vscode-descriptionForeground, var(--vscode-foreground)); background: var(--vscode-editor-background); }
#${BOOT_ID}::before { content: ''; width: 14px; height: 14px; border-radius: 50%;
  border: 2px solid var(--vscode-progressBar-background, currentColor); border-right-color: transparent;
  animation: nnb-boot-spin 0.8s linear infinite; }
@keyframes nnb-boot-spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { #${BOOT_ID}::before { animation: none; } }`;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function editorHtml(webview: vscode.Webview, extensionUri: vscode.Uri, fileName: string): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', name));
  const csp = contentSecurityPolicy(webview.cspSource, nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style>${BOOT_STYLE}</style>
<title>NN Blocks</title>
</head>
<body data-document="${escapeHtml(fileName)}">
<div id="${BOOT_ID}" role="status" data-testid="loading">Loading ${escapeHtml(fileName)}…</div>
<div id="root"></div>
<script nonce="${nonce}">
  const start = () => {
    const style = document.createElement('link');
    style.rel = 'stylesheet';
    style.href = ${JSON.stringify(asset('editor.css').toString())};
    document.head.appendChild(style);
    const script = document.createElement('script');
    script.nonce = ${JSON.stringify(nonce)};
    script.src = ${JSON.stringify(asset('editor.js').toString())};
    document.body.appendChild(script);
  };
  if (document.readyState === 'complete') start();
  else window.addEventListener('load', start, { once: true });
</script>
</body>
</html>`;
}
