import * as vscode from 'vscode';
import { affectsSetting, onDidChangeSettings, readSettings } from '../config';
import { StoreConnections, type StoreSession } from '../connection/storeConnections';
import { ArtifactFileSystem } from '../artifacts/artifactFileSystem';
import { ModelTreeProvider } from '../models/modelTreeProvider';
import { RunTreeProvider } from '../runs/runTreeProvider';
import { RunViewOptions } from '../runs/runViewOptions';

/** Debounce for local store change events: a training loop appends metrics many times a second. */
export const LOCAL_REFRESH_DELAY_MS = 500;

export type ExplorerContext = Pick<vscode.ExtensionContext, 'workspaceState' | 'globalState' | 'secrets'>;

/**
 * The explorer without its VS Code registrations: stores, view options, the two tree
 * providers and the artifact file system, and what keeps them fresh (local store
 * events, polling of running remote runs, settings and workspace folder changes).
 * `registerRunExplorer` puts it on screen; the extension-host tests drive it directly.
 */
export class RunExplorerModel implements vscode.Disposable {
  readonly connections: StoreConnections;
  readonly options: RunViewOptions;
  readonly runs: RunTreeProvider;
  readonly models: ModelTreeProvider;
  readonly artifacts: ArtifactFileSystem;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly pending = new Map<StoreSession, NodeJS.Timeout>();
  private poll: NodeJS.Timeout | undefined;

  constructor(
    context: ExplorerContext,
    readonly output: vscode.LogOutputChannel,
  ) {
    this.connections = new StoreConnections(context, output);
    this.options = new RunViewOptions(context.workspaceState);
    this.runs = new RunTreeProvider(this.connections, this.options, output);
    this.models = new ModelTreeProvider(this.connections);
    this.artifacts = new ArtifactFileSystem(this.connections);
    this.disposables.push(this.connections, this.options, this.runs, this.models);

    this.disposables.push(
      this.connections.onDidChangeSessions(() => {
        this.runs.sessionsChanged();
        this.models.sessionsChanged();
      }),
      this.options.onDidChange((change) => this.runs.reset(change)),
      this.options.onDidChangeLabels(() => this.runs.redraw()),
      this.connections.onDidChangeData(({ session }) => this.scheduleLocalRefresh(session)),
    );

    this.schedulePolling();
    this.disposables.push(
      onDidChangeSettings((event) => this.settingsChanged(event)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.connections.resolve()),
    );
  }

  /** A setting changed: where runs come from (the window's or a folder's `mlflow.trackingUri`), or how often to poll. */
  settingsChanged(event: vscode.ConfigurationChangeEvent): void {
    if (affectsSetting(event, 'remoteRefreshInterval')) this.schedulePolling();
    if (affectsSetting(event, 'trackingUri')) void this.connections.resolve();
  }

  /** Local stores: refresh the changed store shortly after its last change event. */
  private scheduleLocalRefresh(session: StoreSession): void {
    clearTimeout(this.pending.get(session));
    this.pending.set(
      session,
      setTimeout(() => {
        this.pending.delete(session);
        this.artifacts.clear();
        void this.runs.refresh(session);
      }, LOCAL_REFRESH_DELAY_MS),
    );
  }

  /** Remote stores: poll while one of their loaded runs is running. */
  private schedulePolling(): void {
    if (this.poll) clearInterval(this.poll);
    this.poll = undefined;
    const seconds = readSettings().remoteRefreshInterval;
    if (seconds <= 0) {
      for (const session of this.connections.sessions) session.watchChanges(false);
      return;
    }
    this.poll = setInterval(() => pollRemoteStores(this.connections.sessions, this.runs), seconds * 1000);
  }

  async refreshAll(): Promise<void> {
    this.artifacts.clear();
    // What a store's index cannot see cheaply (a tag rewritten on a finished run) shows after Refresh.
    for (const session of this.connections.sessions) session.store?.forgetCachedRuns?.();
    await this.connections.resolve();
    await Promise.all([this.runs.refresh(), this.models.refresh()]);
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    if (this.poll) clearInterval(this.poll);
    for (const d of this.disposables.reverse()) d.dispose();
  }
}

/**
 * One tick of remote refresh: a tracking server is asked again while a shown run is running; a
 * database store polls its cheap change query only while one is (watchChanges), and is otherwise left alone.
 */
export function pollRemoteStores(sessions: readonly StoreSession[], runs: Pick<RunTreeProvider, 'hasRunningRuns' | 'refresh'>): void {
  for (const session of sessions) {
    const running = session.state !== 'error' && session.state !== 'unauthorized' && runs.hasRunningRuns(session);
    if (session.pollsForChanges) session.watchChanges(running);
    else if ((session.kind === 'rest' || session.kind === 'databricks') && running && session.state === 'connected') void runs.refresh(session);
  }
}
