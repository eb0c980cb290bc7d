/**
 * How an artifact opens, and the order artifacts list in. Plain module: no `vscode` import.
 */
import type { FileInfo } from '../../tracking/types';
import { formatBytes } from '../../format/values';
import type { IconSpec } from '../explorer/model/labels';

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

interface ArtifactLinkLook {
  description: string;
  tooltip: string;
  icon: IconSpec;
  /** False for a link that is not followed (a loop, out of the artifact root, a missing target): nothing to open. */
  opens: boolean;
}

const LINK_PROBLEMS: Record<NonNullable<FileInfo['link_problem']>, { short: string; long: string }> = {
  loop: { short: 'loop, not followed', long: 'It leads back to a folder it is in (or to itself), so it is not followed.' },
  outside_root: { short: 'outside the artifacts, not followed', long: "It leads outside the run's artifact folder, so it is not followed." },
  broken: { short: 'target missing', long: 'Its target does not exist.' },
};

/** How a symbolic link among a run's artifacts looks in the tree (`→ target`); undefined for anything else. */
export function artifactLinkLook(file: FileInfo): ArtifactLinkLook | undefined {
  if (!file.is_symlink) return undefined;
  const target = file.link_target ?? '';
  const problem = file.link_problem ? LINK_PROBLEMS[file.link_problem] : undefined;
  const size = !file.is_dir && file.file_size !== undefined ? ` · ${formatBytes(file.file_size)}` : '';
  return {
    description: `→ ${target}${problem ? ` · ${problem.short}` : size}`,
    tooltip: [file.path, `Symbolic link to ${target}`, ...(problem ? [problem.long] : [])].join('\n'),
    icon: problem ? { id: 'warning', color: 'problemsWarningIcon.foreground' } : { id: file.is_dir ? 'file-symlink-directory' : 'file-symlink-file' },
    opens: !problem,
  };
}
