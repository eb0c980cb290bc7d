/// <reference lib="dom" />
/**
 * The page's side of the panel's channel: `acquireVsCodeApi` may be called once per page,
 * so every webview goes through this one typed wrapper.
 */

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface WebviewHost<ToHost, State> {
  post(message: ToHost): void;
  /** What the page saved last (survives hiding and, through the panel serializer, window reloads). */
  state(): State | undefined;
  saveState(state: State): void;
}

let api: VsCodeApi | undefined;

export function connectToHost<ToHost, FromHost, State>(onMessage: (message: FromHost) => void): WebviewHost<ToHost, State> {
  api ??= acquireVsCodeApi();
  const vscode = api;
  window.addEventListener('message', (event: MessageEvent) => onMessage(event.data as FromHost));
  return {
    post: (message) => vscode.postMessage(message),
    state: () => (vscode.getState() as State | undefined) ?? undefined,
    saveState: (state) => vscode.setState(state),
  };
}
