/**
 * The webview's HTML: a strict Content-Security-Policy (csp.ts) with a fresh nonce per load, resources
 * only from dist/webview and media/.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { contentSecurityPolicy } from './csp';

export function webviewRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')];
}

export function editorHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', name));
  const csp = contentSecurityPolicy(webview.cspSource, nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('editor.css')}">
<title>NN Blocks</title>
</head>
<body>
<div id="root"></div>
<script nonce="${nonce}" src="${asset('editor.js')}"></script>
</body>
</html>`;
}
