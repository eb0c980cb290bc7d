/**
 * The VS Code side shared by every webview panel: options that keep resources to the
 * extension's own webview bundles and media, the HTML shell with every asset through
 * `asWebviewUri`, a typed message channel, theme-change forwarding and panel restore.
 */
import * as vscode from 'vscode';
import { createNonce, webviewShellHtml } from './html';
import { errorMessage } from '../../format/errors';

/** Where `scripts/build.mjs` writes each `src/webviews/<name>/main.ts` (as `<name>.js` and `<name>.css`). */
const WEBVIEW_DIST = ['dist', 'webviews'] as const;

/** Scripts on, resources only from the bundles and `media/`; state is restored by the serializer, not kept hidden. */
export function webviewPanelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, ...WEBVIEW_DIST), vscode.Uri.joinPath(extensionUri, 'media')],
    retainContextWhenHidden: false,
    enableFindWidget: true,
  };
}

/** Sets the webview's options and its HTML: bundle `name` (its script and stylesheet), a new nonce. */
export function loadWebviewBundle(webview: vscode.Webview, extensionUri: vscode.Uri, name: string, title: string): void {
  const { localResourceRoots, enableScripts, enableCommandUris } = webviewPanelOptions(extensionUri);
  webview.options = { localResourceRoots, enableScripts, enableCommandUris };
  const asset = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...WEBVIEW_DIST, file)).toString();
  webview.html = webviewShellHtml({
    cspSource: webview.cspSource,
    nonce: createNonce(),
    scriptUri: asset(`${name}.js`),
    styleUris: [asset(`${name}.css`)],
    title,
    name,
  });
}

/**
 * One panel's messages, typed both ways. Incoming messages pass `isIncoming` first: a
 * webview is a page, and what it posts is checked like any other input.
 */
export class WebviewChannel<ToWebview, FromWebview> implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly webview: vscode.Webview,
    private readonly isIncoming: (message: unknown) => message is FromWebview,
    private readonly log?: (text: string) => void,
  ) {}

  /** False when the panel is gone or hidden without a live page (the message is dropped). */
  post(message: ToWebview): Thenable<boolean> {
    return this.webview.postMessage(message);
  }

  onMessage(handler: (message: FromWebview) => void | Promise<void>): vscode.Disposable {
    const subscription = this.webview.onDidReceiveMessage((message: unknown) => {
      if (!this.isIncoming(message)) {
        this.log?.(`Ignored a malformed message from a webview: ${JSON.stringify(message)?.slice(0, 200)}`);
        return;
      }
      void Promise.resolve()
        .then(() => handler(message))
        .catch((error) => this.log?.(`Handling a webview message failed: ${errorMessage(error)}`));
    });
    this.disposables.push(subscription);
    return subscription;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

export type ThemeKind = 'light' | 'dark' | 'highContrast' | 'highContrastLight';

export function currentThemeKind(): ThemeKind {
  switch (vscode.window.activeColorTheme.kind) {
    case vscode.ColorThemeKind.Light:
      return 'light';
    case vscode.ColorThemeKind.HighContrast:
      return 'highContrast';
    case vscode.ColorThemeKind.HighContrastLight:
      return 'highContrastLight';
    default:
      return 'dark';
  }
}

/**
 * CSS variables change by themselves in the page, but canvases keep what they drew:
 * this tells the page to read the variables again and redraw.
 */
export function forwardThemeChanges(send: (kind: ThemeKind) => void): vscode.Disposable {
  return vscode.window.onDidChangeActiveColorTheme(() => send(currentThemeKind()));
}

/**
 * Brings panels of `viewType` back after a window reload: `revive` gets the new panel and
 * the state the page last saved with `setState` (unknown: check it before use).
 */
export function registerPanelRestorer(viewType: string, revive: (panel: vscode.WebviewPanel, state: unknown) => Promise<void>): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(viewType, {
    deserializeWebviewPanel: (panel, state) => revive(panel, state),
  });
}
