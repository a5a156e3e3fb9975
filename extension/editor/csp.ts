/**
 * The webview's Content-Security-Policy, apart from the `vscode` API so that the browser tests load the
 * editor under exactly this policy: nothing by default, no remote content, scripts only with this page
 * load's nonce, styles, fonts and images only from the extension's own files (`source`, VS Code's
 * webview.cspSource) and data: images. React Flow and @vscode-elements set inline style attributes
 * (node positions, shadow-DOM styles), so styles alone allow 'unsafe-inline'.
 */
export function contentSecurityPolicy(source: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${source} data:`,
    `font-src ${source}`,
    `style-src ${source} 'unsafe-inline'`,
    `script-src 'nonce-${nonce}'`,
    "connect-src 'none'",
  ].join('; ');
}
