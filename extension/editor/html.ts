/**
 * The webview's HTML: a strict Content-Security-Policy (csp.ts) with a fresh nonce per load, resources
 * only from dist/webview and media/. The page paints a loading state in the theme's colours from its
 * first frame, before any script has run (styled inline, so it does not wait for editor.css either);
 * the editor removes it once it shows the document or the error view (webview/App.tsx).
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
<link rel="stylesheet" href="${asset('editor.css')}">
<title>NN Blocks</title>
</head>
<body>
<div id="${BOOT_ID}" role="status" data-testid="loading">Loading ${escapeHtml(fileName)}…</div>
<div id="root"></div>
<script nonce="${nonce}" src="${asset('editor.js')}"></script>
</body>
</html>`;
}
