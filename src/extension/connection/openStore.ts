import type { TrackingStore } from '../../tracking/types';
import { MlflowError } from '../../tracking/types';
import { openTrackingStore, type OpenTrackingStoreOptions } from '../../tracking';

/** Opens a store through the tracking core; the one place the explorer creates stores. */
export async function openStore(uri: string, options: OpenTrackingStoreOptions): Promise<TrackingStore> {
  return await openTrackingStore(uri, options);
}

/** True for a server's "who are you?" answers, which should ask for credentials rather than fail. */
export function isAuthError(error: unknown): boolean {
  return error instanceof MlflowError
    ? error.status === 401 || error.error_code === 'UNAUTHENTICATED'
    : /\b401\b/.test(String((error as Error)?.message ?? ''));
}
