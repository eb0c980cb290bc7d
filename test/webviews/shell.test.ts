import * as assert from 'node:assert/strict';
import { contentSecurityPolicy, createNonce, webviewShellHtml } from '../../src/extension/webview/html';

describe('Webview HTML shell', () => {
  it('allows scripts only by nonce and styles only from the extension, with nothing inline or remote', () => {
    const csp = contentSecurityPolicy('https://file+.vscode-resource.vscode-cdn.net', 'abc123');
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc123'(;|$)/);
    assert.match(csp, /style-src https:\/\/file\+\.vscode-resource\.vscode-cdn\.net 'nonce-abc123'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*|https?:\/\/(?!file\+)/);
  });

  it('makes a new 128-bit nonce every time', () => {
    const nonces = new Set(Array.from({ length: 100 }, createNonce));
    assert.equal(nonces.size, 100);
    for (const n of nonces) assert.equal(Buffer.from(n, 'base64').length, 16);
  });

  it('puts the nonce on the one script and stylesheet, and escapes every value it writes', () => {
    const html = webviewShellHtml({
      cspSource: 'vscode-resource:',
      nonce: 'N0nce',
      scriptUri: 'vscode-resource:/x/charts.js?a=1&b="2"',
      styleUris: ['vscode-resource:/x/charts.css'],
      title: '<script>alert(1)</script>',
      name: 'charts',
    });
    assert.equal((html.match(/<script\b/g) ?? []).length, 1);
    assert.match(html, /<script nonce="N0nce" src="vscode-resource:\/x\/charts\.js\?a=1&amp;b=&quot;2&quot;"><\/script>/);
    assert.match(html, /<link rel="stylesheet" nonce="N0nce" href="vscode-resource:\/x\/charts\.css">/);
    assert.match(html, /<title>&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/title>/);
    assert.doesNotMatch(html, /style="/);
  });
});
