/**
 * The part of the built-in git extension's API (`vscode.git`, `getAPI(1)`) this extension
 * uses, typed after its `git.d.ts`. The git extension can be disabled or still scanning;
 * `gitApi()` says which, so a command can tell the user instead of failing.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';

interface GitRemote {
  readonly name: string;
  readonly fetchUrl?: string;
  readonly pushUrl?: string;
}

export interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly state: { readonly remotes: GitRemote[] };
  getCommit(ref: string): Promise<{ hash: string }>;
  /** The file's text at `ref`; `path` is absolute (the extension makes it relative to the root). */
  show(ref: string, path: string): Promise<string>;
}

export interface GitApi {
  readonly state: 'uninitialized' | 'initialized';
  readonly onDidChangeState: vscode.Event<'uninitialized' | 'initialized'>;
  readonly repositories: GitRepository[];
  toGitUri(uri: vscode.Uri, ref: string): vscode.Uri;
  openRepository?(root: vscode.Uri): Promise<GitRepository | null>;
}

interface GitExtension {
  readonly enabled: boolean;
  readonly onDidChangeEnablement: vscode.Event<boolean>;
  getAPI(version: 1): GitApi;
}

/** Waited for the git extension's first scan of the workspace; it usually takes well under a second. */
const SCAN_WAIT_MS = 5000;
/**
 * Waited for the git extension to start after `git.enabled` was switched on: it then looks
 * for the git binary and builds its model, seconds on a busy machine. Until then its API
 * does not exist and it reports itself disabled.
 */
const START_WAIT_MS = 30_000;

export async function gitApi(): Promise<GitApi | string> {
  const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!extension) return 'The built-in Git extension is not available in this editor.';
  const exports = extension.isActive ? extension.exports : await extension.activate();
  if (!exports) return 'The built-in Git extension did not start.';
  if (!exports.enabled) {
    if (vscode.workspace.getConfiguration('git').get<boolean>('enabled') !== true) {
      return "The built-in Git extension is disabled (setting git.enabled); enable it to see a run's code.";
    }
    // Switched on since the git extension started: it is starting now; wait for it rather than call it disabled.
    const started = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'MLflow: waiting for the Git extension to start' },
      () =>
        waitUntil(
          exports.onDidChangeEnablement,
          (enabled) => enabled,
          () => exports.enabled,
          START_WAIT_MS,
        ),
    );
    if (!started) {
      return `The built-in Git extension has not started within ${START_WAIT_MS / 1000} s although git.enabled is on: is git installed? See the Git output for why.`;
    }
  }
  const api = exports.getAPI(1);
  if (api.state !== 'initialized')
    await waitUntil(
      api.onDidChangeState,
      (state) => state === 'initialized',
      () => api.state === 'initialized',
      SCAN_WAIT_MS,
    );
  return api;
}

/** Resolves true once `event` fires a value `wanted` accepts (or `already()` holds), false after `timeoutMs`. */
function waitUntil<T>(event: vscode.Event<T>, wanted: (value: T) => boolean, already: () => boolean, timeoutMs: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const finish = (result: boolean) => {
      clearTimeout(timer);
      subscription.dispose();
      resolve(result);
    };
    const subscription = event((value) => wanted(value) && finish(true));
    const timer = setTimeout(() => finish(already()), timeoutMs);
    if (already()) finish(true);
  });
}

/**
 * The repositories git has open, plus those its scan has not reached yet (deeper than
 * `git.repositoryScanMaxDepth`, or created after the window opened): at the workspace
 * folders' roots, and around the run's own source file when it lies inside the workspace.
 */
export async function workspaceRepositories(api: GitApi, sourceName: string | undefined): Promise<GitRepository[]> {
  if (!api.openRepository) return api.repositories;
  const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri);
  const candidates = [...folders];
  if (sourceName && path.isAbsolute(sourceName)) {
    const dir = vscode.Uri.file(path.dirname(sourceName));
    if (folders.some((f) => dir.fsPath.startsWith(f.fsPath + path.sep))) candidates.unshift(dir);
  }
  for (const uri of candidates) {
    if (api.repositories.some((r) => uri.fsPath === r.rootUri.fsPath || uri.fsPath.startsWith(r.rootUri.fsPath + path.sep))) continue;
    // Resolves to null when the folder is in no repository, or when git cannot read it.
    await api.openRepository(uri).catch(() => null);
  }
  return api.repositories;
}
