/**
 * Which artifacts two runs have in common, for "Compare Artifacts of Two Runs": every
 * file of each run (folders walked breadth first, with a cap so a run with a huge
 * dataset folder cannot stall the picker), then the shared paths, the files people diff
 * (`MLmodel`, `requirements.txt`, `conda.yaml`, JSON, text) first. Plain module, no `vscode`.
 */
import type { FileInfo } from '../tracking/types';

/** More files than this in one run is a dataset, not something to pick from by hand. */
export const MAX_ARTIFACT_FILES = 5000;

export interface ArtifactListing {
  files: FileInfo[];
  /** The walk stopped at `MAX_ARTIFACT_FILES`. */
  truncated: boolean;
}

export async function listArtifactFiles(list: (path: string | undefined) => Promise<FileInfo[]>, limit = MAX_ARTIFACT_FILES): Promise<ArtifactListing> {
  const files: FileInfo[] = [];
  const queue: (string | undefined)[] = [undefined];
  while (queue.length > 0) {
    const dir = queue.shift();
    for (const entry of await list(dir)) {
      if (entry.is_dir) queue.push(entry.path);
      else files.push(entry);
      if (files.length >= limit) return { files, truncated: true };
    }
  }
  return { files, truncated: false };
}

const WELL_KNOWN = ['MLmodel', 'requirements.txt', 'conda.yaml', 'python_env.yaml'];
const TEXT_EXTENSIONS = /\.(json|jsonl|ya?ml|txt|md|csv|tsv|py|cfg|ini|toml|log|html|xml|sql|sh)$/i;

export interface CommonArtifact {
  path: string;
  /** Sizes in the two runs, when the store gave them. */
  sizes: [number | undefined, number | undefined];
  /** A file a text diff shows well. */
  text: boolean;
}

/** Paths both runs have: well-known model files first, then other text, then the rest; by path within each. */
export function commonArtifacts(a: readonly FileInfo[], b: readonly FileInfo[]): CommonArtifact[] {
  const inB = new Map(b.map((f) => [f.path, f]));
  const rank = (path: string) => {
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (WELL_KNOWN.includes(name)) return 0;
    return TEXT_EXTENSIONS.test(name) || !name.includes('.') ? 1 : 2;
  };
  return a
    .filter((f) => inB.has(f.path))
    .map((f) => ({ path: f.path, sizes: [f.file_size, inB.get(f.path)!.file_size] as [number | undefined, number | undefined], text: rank(f.path) < 2 }))
    .sort((x, y) => rank(x.path) - rank(y.path) || (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}
