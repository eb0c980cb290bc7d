export { RestTrackingStore, type RestStoreOptions } from './restStore';
import { RestTrackingStore, type RestStoreOptions } from './restStore';

/** A store over a tracking server's REST API; `url` is the server's base URL (http or https). */
export function openRestStore(url: string, options?: RestStoreOptions): RestTrackingStore {
  return new RestTrackingStore(url, options);
}
