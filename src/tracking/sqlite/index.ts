export { SqliteTrackingStore, type SqliteStoreOptions } from './sqliteStore';
export { loadNodeSqlite, type BackendName } from './backend';
import { SqliteTrackingStore, type SqliteStoreOptions } from './sqliteStore';

/** Opens an `mlflow.db` read-only. */
export function openSqliteStore(dbPath: string, options?: SqliteStoreOptions): Promise<SqliteTrackingStore> {
  return SqliteTrackingStore.open(dbPath, options);
}
