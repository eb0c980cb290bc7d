/**
 * Artifact locations a store does not read itself (`s3://bucket/prefix`): any store whose runs
 * point there (a database, a file store, a tracking server that does not proxy artifacts) hands
 * the run's artifact URI to the reader for its scheme, as MLflow's client does with its artifact
 * repositories.
 */
import type { FileInfo } from './types';

export interface ArtifactReader {
  list(uri: string, path: string, signal?: AbortSignal): Promise<FileInfo[]>;
  read(uri: string, path: string, what: string): Promise<Uint8Array>;
}

/** Readers by lower-case URI scheme (`s3`). */
export type ArtifactReaders = Record<string, ArtifactReader>;

/** The reader for the artifact URI's scheme, if there is one. */
export function readerFor(uri: string | undefined, readers: ArtifactReaders | undefined): ArtifactReader | undefined {
  const scheme = uri ? /^([a-zA-Z][a-zA-Z0-9+.-]+):/.exec(uri)?.[1]?.toLowerCase() : undefined;
  return scheme ? readers?.[scheme] : undefined;
}
