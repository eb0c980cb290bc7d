import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import type { FileInfo } from '../../tracking/types';
import type { StoreConnections, StoreSession } from '../connection/storeConnections';
import { errorMessage } from '../../format/errors';

export const ARTIFACT_SCHEME = 'mlflow-artifact';

/** A URI authority for a store: a hash, since store URIs hold characters an authority cannot. */
export function storeAuthority(storeUri: string): string {
  return createHash('sha256').update(storeUri).digest('hex').slice(0, 16);
}

/** `mlflow-artifact://<store>/<run id>/<artifact path>`: the last segment is the file name, so editors pick languages by name. */
export function artifactUri(session: StoreSession, runId: string, artifactPath: string): vscode.Uri {
  const segments = [runId, ...artifactPath.split('/').filter((s) => s !== '')].map(encodeURIComponent);
  return vscode.Uri.from({ scheme: ARTIFACT_SCHEME, authority: storeAuthority(session.uri), path: `/${segments.join('/')}` });
}

function parseArtifactUri(uri: vscode.Uri): { runId: string; path: string } {
  const [runId, ...rest] = uri.path.split('/').filter((s) => s !== '');
  if (!runId) throw vscode.FileSystemError.FileNotFound(uri);
  return { runId, path: rest.join('/') };
}

/**
 * Artifacts of every store (local or remote) as a read-only file system, so a text
 * artifact opens in a text editor, an image in the image preview, `MLmodel` with its
 * language, all the same way. Never writes: every change is refused.
 */
export class ArtifactFileSystem implements vscode.FileSystemProvider {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changeEmitter.event;
  /** Listings seen recently, so `stat` before `readFile` does not ask the store twice. */
  private readonly listings = new Map<string, Promise<FileInfo[]>>();

  constructor(private readonly connections: StoreConnections) {}

  private session(uri: vscode.Uri): StoreSession {
    const session = this.connections.sessions.find((s) => storeAuthority(s.uri) === uri.authority);
    if (!session) throw vscode.FileSystemError.Unavailable(`The MLflow store of ${uri.toString()} is no longer open.`);
    return session;
  }

  private list(session: StoreSession, runId: string, dir: string): Promise<FileInfo[]> {
    const key = `${session.uri}\n${runId}\n${dir}`;
    let listing = this.listings.get(key);
    if (!listing) {
      listing = session.call('List artifacts', (store) => store.listArtifacts(runId, dir || undefined));
      this.listings.set(key, listing);
      listing.catch(() => this.listings.delete(key));
      setTimeout(() => this.listings.delete(key), 10_000);
    }
    return listing;
  }

  /** Forgets cached listings, after a refresh. */
  clear(): void {
    this.listings.clear();
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const { runId, path } = parseArtifactUri(uri);
    const dir = (): vscode.FileStat => ({ type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0, permissions: vscode.FilePermission.Readonly });
    if (path === '') return dir();
    const session = this.session(uri);
    const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    let entries: FileInfo[];
    try {
      entries = await this.list(session, runId, parent);
    } catch (error) {
      throw vscode.FileSystemError.Unavailable(errorMessage(error));
    }
    const entry = entries.find((e) => e.path === path);
    if (!entry) throw vscode.FileSystemError.FileNotFound(uri);
    if (entry.is_dir) return dir();
    return { type: vscode.FileType.File, ctime: 0, mtime: 0, size: entry.file_size ?? 0, permissions: vscode.FilePermission.Readonly };
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const { runId, path } = parseArtifactUri(uri);
    const entries = await this.list(this.session(uri), runId, path);
    return entries.map((e) => [e.path.slice(e.path.lastIndexOf('/') + 1), e.is_dir ? vscode.FileType.Directory : vscode.FileType.File]);
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const { runId, path } = parseArtifactUri(uri);
    try {
      return await this.session(uri).call('Read artifact', (store) => store.readArtifact(runId, path));
    } catch (error) {
      if (error instanceof vscode.FileSystemError) throw error;
      throw vscode.FileSystemError.Unavailable(`Could not read ${path}: ${errorMessage(error)}`);
    }
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  createDirectory(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  writeFile(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
}
