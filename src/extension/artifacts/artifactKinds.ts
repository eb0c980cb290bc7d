/**
 * How an artifact opens, and the order artifacts list in. Plain module: no `vscode` import.
 */
import type { FileInfo } from '../../tracking/types';

export type ArtifactOpenKind = 'image' | 'mlmodel' | 'text';

const IMAGE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'gif', 'bmp', 'webp', 'svg', 'ico']);

export function artifactBaseName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

export function artifactOpenKind(path: string): ArtifactOpenKind {
  const name = artifactBaseName(path);
  if (name === 'MLmodel') return 'mlmodel';
  const dot = name.lastIndexOf('.');
  if (dot > 0 && IMAGE_EXTENSIONS.has(name.slice(dot + 1).toLowerCase())) return 'image';
  return 'text';
}

/** Folders first, then files, each by name. */
export function sortArtifacts(files: readonly FileInfo[]): FileInfo[] {
  return [...files].sort((a, b) => {
    if (a.is_dir !== b.is_dir) return a.is_dir ? -1 : 1;
    const an = artifactBaseName(a.path).toLowerCase();
    const bn = artifactBaseName(b.path).toLowerCase();
    return an < bn ? -1 : an > bn ? 1 : 0;
  });
}
