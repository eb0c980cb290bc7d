import * as vscode from 'vscode';
import { openTrackingStore } from '../../tracking';
import type { TrackingStore } from '../../tracking/types';
import { authOptions, ServerCredentials } from '../connection/credentials';

/**
 * The stores the charts read, by canonical tracking URI. Panels outlive the explorer's
 * sessions (a panel restored after a reload opens before the explorer has looked for
 * stores), so the charts open their own, read-only, with the same saved credentials;
 * a store is closed when its last panel is.
 */
export class ChartStores implements vscode.Disposable {
  private readonly open = new Map<string, { store: Promise<TrackingStore>; users: number }>();
  private readonly credentials: ServerCredentials;

  constructor(secrets: vscode.SecretStorage) {
    this.credentials = new ServerCredentials(secrets);
  }

  acquire(storeUri: string): Promise<TrackingStore> {
    let entry = this.open.get(storeUri);
    if (!entry) {
      const store = (async () => {
        const rest = /^https?:/i.test(storeUri);
        // A database connected through the Connect flow keeps its password in SecretStorage.
        const database = /^(postgres|mysql|mariadb)/i.test(storeUri);
        const auth = rest
          ? await this.credentials.get(storeUri)
          : database
            ? ((await this.credentials.saved(storeUri)) ?? { kind: 'none' as const })
            : { kind: 'none' as const };
        return openTrackingStore(storeUri, { ...authOptions(auth), caFile: process.env.MLFLOW_TRACKING_SERVER_CERT_PATH || undefined });
      })();
      entry = { store, users: 0 };
      this.open.set(storeUri, entry);
      // A store that failed to open is forgotten, so Retry opens it again.
      store.catch(() => this.open.get(storeUri) === entry && this.open.delete(storeUri));
    }
    entry.users++;
    return entry.store;
  }

  release(storeUri: string): void {
    const entry = this.open.get(storeUri);
    if (!entry) return;
    entry.users--;
    if (entry.users > 0) return;
    this.open.delete(storeUri);
    entry.store.then(
      (s) => s.dispose(),
      () => undefined,
    );
  }

  dispose(): void {
    for (const entry of this.open.values())
      entry.store.then(
        (s) => s.dispose(),
        () => undefined,
      );
    this.open.clear();
  }
}
