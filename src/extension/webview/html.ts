/**
 * The HTML shell every webview panel loads: one stylesheet and one script of the panel's
 * own browser bundle, under a strict Content-Security-Policy with a fresh nonce per load.
 * No `vscode` import, so the Chromium tests load exactly this page with exactly this policy.
 */
import { randomBytes } from 'node:crypto';

/** 128 random bits, base64: a new one for every HTML the panel is given. */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * Scripts only with the nonce (so only our bundle), styles only from the extension's files
 * (`cspSource`) or with the nonce; no `unsafe-inline`, no `unsafe-eval`, no remote origin.
 * Images may be `blob:`/`data:` URLs the page makes itself (PNG export of a canvas).
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} blob: data:`,
    `font-src ${cspSource}`,
    `connect-src 'none'`,
    `form-action 'none'`,
    `base-uri 'none'`,
  ].join('; ');
}

export interface WebviewShell {
  /** The webview's `cspSource` (VS Code's origin for local resources). */
  cspSource: string;
  nonce: string;
  /** The bundle and its stylesheets, as URIs the webview can load (`asWebviewUri`). */
  scriptUri: string;
  styleUris: readonly string[];
  /** Shown nowhere but read by screen readers and the harness. */
  title: string;
  /** Which webview this is (`charts`, `compare`): the bundle may check it. */
  name: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

export function webviewShellHtml(shell: WebviewShell): string {
  const nonce = escapeHtml(shell.nonce);
  const styles = shell.styleUris.map((uri) => `<link rel="stylesheet" nonce="${nonce}" href="${escapeHtml(uri)}">`).join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(shell.cspSource, shell.nonce))}">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    ${styles}
    <title>${escapeHtml(shell.title)}</title>
  </head>
  <body data-webview="${escapeHtml(shell.name)}">
    <main id="root"></main>
    <script nonce="${nonce}" src="${escapeHtml(shell.scriptUri)}"></script>
  </body>
</html>
`;
}
