import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { isCancelled, type StoreChangeEvent, type TrackingStore } from '../../tracking/types';
import { readSettings } from '../config';
import { CoalescingRunner } from '../shared/coalescingRunner';
import { authOptions, ServerCredentials, type ServerAuth } from './credentials';
import { findLocalStore } from './discovery';
import { isAuthError, openStore } from './openStore';
import { storeLocationOf, redactUrl, shortStoreName, type StoreLocation } from './trackingUri';
import { errorMessage } from '../../format/errors';

export type StoreOrigin = 'selected' | 'setting' | 'environment' | 'workspace';
export type LocalStoreLocation = Extract<StoreLocation, { path: string }>;
export type StoreState = 'opening' | 'loading' | 'connected' | 'error' | 'unauthorized';

const SELECTED_KEY = 'mlflow.selectedStore';
const RECENT_SERVERS_KEY = 'mlflow.recentServers';
const RECENT_STORES_KEY = 'mlflow.recentStores';
/** Recent lists are shortcuts for switching between a few projects, not a history. */
const MAX_RECENT = 10;

/** One open store the explorer shows, with its state for the status bar and the tree. */
export class StoreSession implements vscode.Disposable {
  state: StoreState = 'opening';
  error: string | undefined;
  store: TrackingStore | undefined;
  private readonly disposables: { dispose(): void }[] = [];
  private pending = 0;
  /** The subscription to a database store's change events: it polls the database while held. */
  private changeWatch: { dispose(): void } | undefined;

  constructor(
    readonly location: StoreLocation,
    readonly origin: StoreOrigin,
    private readonly owner: StoreConnections,
    /** Credentials written in the URL itself, used as given and never saved. */
    readonly urlAuth?: ServerAuth,
  ) {}

  /** The canonical URI: key of tree ids, secrets and the charts hand-off. Never holds credentials. */
  get uri(): string {
    return this.location.uri;
  }

  get kind(): StoreLocation['kind'] {
    return this.location.kind;
  }

  get label(): string {
    return shortStoreName(this.location);
  }

  /** Runs a store call, keeping the session's state (loading, connected, error, unauthorized) up to date. */
  async call<T>(what: string, fn: (store: TrackingStore) => Promise<T>): Promise<T> {
    const store = await this.owner.ensureOpen(this);
    this.pending++;
    if (this.pending === 1) this.setState('loading', undefined);
    try {
      const result = await fn(store);
      this.pending--;
      if (this.pending === 0) this.setState('connected', undefined);
      return result;
    } catch (error) {
      this.pending--;
      if (isCancelled(error)) {
        // Stopped on purpose (a node collapsed, the filter changed): not a problem of the store.
        if (this.pending === 0 && this.state === 'loading') this.setState('connected', undefined);
        throw error;
      }
      this.owner.output.warn(`${what} failed on ${this.label}: ${redactUrl(errorMessage(error))}`);
      if (isAuthError(error)) {
        this.setState('unauthorized', errorMessage(error));
        this.owner.askToSignIn(this);
      } else {
        this.setState('error', errorMessage(error));
      }
      throw error;
    }
  }

  setState(state: StoreState, error: string | undefined): void {
    if (this.state === state && this.error === error) return;
    this.state = state;
    this.error = error;
    this.owner.fireStateChanged(this);
  }

  /** A database store learns of changes by polling: it is watched only while something shown needs it (watchChanges). */
  get pollsForChanges(): boolean {
    return this.kind === 'database';
  }

  attach(store: TrackingStore): void {
    this.store = store;
    if (store.onDidChange && !this.pollsForChanges) this.disposables.push(store.onDidChange((e) => this.owner.fireDataChanged(this, e)));
    if (store.onWarning) this.disposables.push(store.onWarning((w) => this.owner.output.warn(`${w.path}: ${w.message}`)));
  }

  /** Starts or stops listening to a polling store's changes (a no-op for stores that watch files). */
  watchChanges(wanted: boolean): void {
    if (!this.pollsForChanges) return;
    if (wanted && !this.changeWatch && this.store?.onDidChange) {
      this.changeWatch = this.store.onDidChange((e) => this.owner.fireDataChanged(this, e));
    } else if (!wanted && this.changeWatch) {
      this.changeWatch.dispose();
      this.changeWatch = undefined;
    }
  }

  get watchingChanges(): boolean {
    return this.changeWatch !== undefined;
  }

  /** Closes the store; the next call opens it again (after a sign-in, for instance). */
  close(): void {
    this.watchChanges(false);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.store?.dispose();
    this.store = undefined;
    this.state = 'opening';
  }

  dispose(): void {
    this.close();
  }
}

export interface DataChange {
  session: StoreSession;
  event: StoreChangeEvent;
}

/**
 * Which stores the explorer shows and their open `TrackingStore`s: a store the user
 * picked, else `mlflow.trackingUri`, else `MLFLOW_TRACKING_URI`, else the `mlruns` or
 * `mlflow.db` nearest to the root of each workspace folder.
 */
export class StoreConnections implements vscode.Disposable {
  private current: StoreSession[] = [];
  private readonly opening = new Map<StoreSession, Promise<TrackingStore>>();
  private readonly signInAsked = new Set<string>();
  private readonly sessionsChanged = new vscode.EventEmitter<void>();
  private readonly stateChanged = new vscode.EventEmitter<StoreSession>();
  private readonly dataChanged = new vscode.EventEmitter<DataChange>();
  /** One resolve runs; calls during it share one more, which sees the settings as they are then. */
  private readonly resolver = new CoalescingRunner<void>(
    () => this.resolveOnce(),
    () => undefined,
  );
  readonly credentials: ServerCredentials;
  /** Set by the connect flow: asks for credentials again after a 401. */
  signInHandler: ((session: StoreSession) => Promise<void>) | undefined;

  readonly onDidChangeSessions = this.sessionsChanged.event;
  readonly onDidChangeState = this.stateChanged.event;
  readonly onDidChangeData = this.dataChanged.event;
  /** Problems met while resolving (a malformed setting, for instance), shown in the view. */
  problems: string[] = [];
  resolved = false;

  constructor(
    private readonly context: Pick<vscode.ExtensionContext, 'workspaceState' | 'globalState' | 'secrets'>,
    readonly output: vscode.LogOutputChannel,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.credentials = new ServerCredentials(context.secrets, env);
  }

  get sessions(): readonly StoreSession[] {
    return this.current;
  }

  sessionFor(uri: string): StoreSession | undefined {
    return this.current.find((s) => s.uri === uri);
  }

  get selectedUri(): string | undefined {
    return this.context.workspaceState.get<string>(SELECTED_KEY);
  }

  /**
   * Shows only this store (`undefined`: back to automatic). A server always goes to the top of
   * the recent servers; a local store only with `remember` (opened from the file dialog, or
   * picked again from the recent stores): the workspace's own stores are found anyway.
   */
  async select(uri: string | undefined, options: { remember?: boolean } = {}): Promise<void> {
    await this.context.workspaceState.update(SELECTED_KEY, uri);
    if (uri && /^(https?:|postgres|mysql|mariadb|databricks)/i.test(uri)) await this.remember(RECENT_SERVERS_KEY, uri);
    else if (uri && options.remember) await this.remember(RECENT_STORES_KEY, uri);
    await this.resolve();
  }

  get recentServers(): string[] {
    return this.context.globalState.get<string[]>(RECENT_SERVERS_KEY) ?? [];
  }

  /**
   * Local stores opened with the file dialog, most recent first. A store whose folder or
   * database is gone is left out, but kept in the list: a drive may just be unmounted.
   */
  async recentLocalStores(): Promise<LocalStoreLocation[]> {
    const locations: LocalStoreLocation[] = [];
    for (const uri of this.context.globalState.get<string[]>(RECENT_STORES_KEY) ?? []) {
      try {
        const location = storeLocationOf(uri, os.homedir());
        if (location.kind === 'file' || location.kind === 'sqlite') locations.push(location);
      } catch {
        // not a URI this version can read: leave it out
      }
    }
    const present = await Promise.all(
      locations.map((location) =>
        fs.stat(location.path).then(
          (stat) => (location.kind === 'file' ? stat.isDirectory() : stat.isFile()),
          () => false,
        ),
      ),
    );
    return locations.filter((_, i) => present[i]);
  }

  private async remember(key: string, uri: string): Promise<void> {
    const recent = [uri, ...(this.context.globalState.get<string[]>(key) ?? []).filter((u) => u !== uri)].slice(0, MAX_RECENT);
    await this.context.globalState.update(key, recent);
  }

  /** Works out the stores again (settings, environment or workspace folders changed); keeps sessions that did not change. */
  resolve(): Promise<void> {
    return this.resolver.run();
  }

  private async resolveOnce(): Promise<void> {
    const problems: string[] = [];
    const found = await this.findSources(problems);
    const next: StoreSession[] = [];
    for (const source of found) {
      const existing = this.current.find((s) => s.uri === source.location.uri && s.origin === source.origin);
      next.push(existing ?? new StoreSession(source.location, source.origin, this, source.urlAuth));
    }
    for (const old of this.current) if (!next.includes(old)) old.dispose();
    // The first answer always counts as a change: the status bar and welcome view wait for it.
    const changed = !this.resolved || next.length !== this.current.length || next.some((s, i) => s !== this.current[i]);
    this.current = next;
    this.problems = problems;
    this.resolved = true;
    for (const p of problems) this.output.warn(p);
    this.output.info(`Stores: ${next.map((s) => `${s.label} (${s.kind}, from ${s.origin})`).join(', ') || 'none found'}`);
    if (changed || problems.length) this.sessionsChanged.fire();
  }

  private async findSources(problems: string[]): Promise<{ location: StoreLocation; origin: StoreOrigin; urlAuth?: ServerAuth }[]> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const home = os.homedir();
    const parse = (raw: string, base: string, origin: StoreOrigin) => {
      try {
        const location = storeLocationOf(raw, base);
        const urlAuth: ServerAuth | undefined =
          (location.kind === 'rest' || location.kind === 'database') && location.credentials ? { kind: 'basic', ...location.credentials } : undefined;
        return { location, origin, urlAuth };
      } catch (error) {
        problems.push(
          `The ${origin === 'setting' ? 'mlflow.trackingUri setting' : origin === 'environment' ? 'MLFLOW_TRACKING_URI variable' : 'selected store'} cannot be used: ${redactUrl(errorMessage(error))}`,
        );
        return undefined;
      }
    };
    const dedupe = <T extends { location: StoreLocation }>(list: (T | undefined)[]) => {
      const seen = new Set<string>();
      return list.filter((s): s is T => s !== undefined && !seen.has(s.location.uri) && (seen.add(s.location.uri), true));
    };

    const selected = this.selectedUri;
    if (selected) {
      const source = parse(selected, folders[0]?.uri.fsPath ?? home, 'selected');
      if (source) return [source];
    }
    const fromSettings = folders.length
      ? folders.map((f) => ({ folder: f, raw: readSettings(f.uri).trackingUri }))
      : [{ folder: undefined, raw: readSettings().trackingUri }];
    if (fromSettings.some((s) => s.raw)) {
      const list = dedupe(fromSettings.filter((s) => s.raw).map((s) => parse(s.raw, s.folder?.uri.fsPath ?? home, 'setting')));
      if (list.length) return list;
    }
    const fromEnv = this.env.MLFLOW_TRACKING_URI?.trim();
    if (fromEnv) {
      const source = parse(fromEnv, folders[0]?.uri.fsPath ?? process.cwd(), 'environment');
      if (source) return [source];
    }
    const discovered = await Promise.all(
      folders
        .filter((f) => f.uri.scheme === 'file')
        .map(async (f) => {
          const location = await findLocalStore(f.uri.fsPath);
          return location ? { location, origin: 'workspace' as const } : undefined;
        }),
    );
    return dedupe(discovered);
  }

  /** The session's store, opened once with its credentials. */
  ensureOpen(session: StoreSession): Promise<TrackingStore> {
    if (session.store) return Promise.resolve(session.store);
    let opening = this.opening.get(session);
    if (!opening) {
      opening = (async () => {
        const saved = session.kind === 'database' ? await this.credentials.saved(session.uri) : undefined;
        const auth = session.urlAuth ?? saved ?? (session.kind === 'rest' ? await this.credentials.get(session.uri) : { kind: 'none' as const });
        const caFile = this.env.MLFLOW_TRACKING_SERVER_CERT_PATH || undefined;
        try {
          // A database store polls for changes at the remote refresh interval (0: never).
          const pollIntervalMs = readSettings().remoteRefreshInterval * 1000 || undefined;
          const store = await openStore(session.uri, { ...authOptions(auth), caFile, database: { pollIntervalMs, poll: pollIntervalMs !== undefined } });
          session.attach(store);
          this.output.info(
            `Opened ${session.kind} store ${session.label}${session.kind === 'rest' ? ` with ${auth.kind === 'none' ? 'no authentication' : auth.kind === 'token' ? 'a token' : 'user and password'}` : ''}`,
          );
          return store;
        } catch (error) {
          session.setState('error', errorMessage(error));
          throw error;
        }
      })().finally(() => this.opening.delete(session));
      this.opening.set(session, opening);
    }
    return opening;
  }

  /** After a sign-in: close the store so the next call opens it with the new credentials. */
  reopen(session: StoreSession): void {
    this.signInAsked.delete(session.uri);
    session.close();
    session.setState('opening', undefined);
  }

  /** Asks once per failure series, not on every call that fails with 401. */
  askToSignIn(session: StoreSession): void {
    if (this.signInAsked.has(session.uri) || !this.signInHandler) return;
    this.signInAsked.add(session.uri);
    void this.signInHandler(session);
  }

  fireStateChanged(session: StoreSession): void {
    this.stateChanged.fire(session);
  }

  fireDataChanged(session: StoreSession, event: StoreChangeEvent): void {
    this.dataChanged.fire({ session, event });
  }

  dispose(): void {
    for (const s of this.current) s.dispose();
    this.current = [];
    this.sessionsChanged.dispose();
    this.stateChanged.dispose();
    this.dataChanged.dispose();
  }
}
