/**
 * From a run back to its code: which commit and which file MLflow recorded
 * (`mlflow.source.git.commit`, `mlflow.source.name`, `mlflow.source.git.repoURL`), and
 * which local git repository holds them. `mlflow.source.name` is the script as it was
 * started (`sys.argv[0]`: absolute, or relative to a working directory nobody recorded)
 * or, for `mlflow run`, the project's URI; so the result is a list of candidate paths
 * inside the repository, best first, for the caller to check against the commit.
 * Plain module, no `vscode`: the extension asks VS Code's git extension the rest.
 */

export interface RunSourceTags {
  commit?: string;
  sourceName?: string;
  sourceType?: string;
  repoUrl?: string;
  entryPoint?: string;
}

export function sourceTagsOf(tags: readonly { key: string; value: string }[] | undefined): RunSourceTags {
  const get = (key: string) => tags?.find((t) => t.key === key)?.value?.trim() || undefined;
  return {
    commit: get('mlflow.source.git.commit'),
    sourceName: get('mlflow.source.name'),
    sourceType: get('mlflow.source.type'),
    repoUrl: get('mlflow.source.git.repoURL') ?? get('mlflow.gitRepoURL'),
    entryPoint: get('mlflow.project.entryPoint'),
  };
}

export interface LocalRepository {
  /** Absolute, `/`-separated, no trailing slash. */
  root: string;
  /** Fetch URLs of its remotes. */
  remoteUrls: readonly string[];
}

export type SourceResolution =
  | {
      kind: 'resolved';
      commit: string;
      repository: LocalRepository;
      /** Paths relative to the repository root, `/`-separated, best first; the first one present at the commit is the file. */
      candidates: string[];
      /** How the repository was chosen, for messages. */
      matchedBy: 'path' | 'remote' | 'only repository';
    }
  | { kind: 'noCommit'; message: string }
  | { kind: 'noSource'; message: string }
  | { kind: 'noRepository'; message: string }
  | { kind: 'repositoryMismatch'; message: string };

const COMMIT = /^[0-9a-f]{7,64}$/i;

/**
 * Picks the repository and the candidate paths. A repository is chosen when it contains
 * the recorded absolute path, else when one of its remotes is the recorded repository
 * URL, else when it is the only one and no URL says otherwise.
 */
export function resolveRunSource(tags: RunSourceTags, repositories: readonly LocalRepository[]): SourceResolution {
  if (!tags.commit) return { kind: 'noCommit', message: 'The run has no git commit (tag mlflow.source.git.commit): it was not started from a git checkout.' };
  if (!COMMIT.test(tags.commit)) return { kind: 'noCommit', message: `The run's git commit tag is not a commit id: "${tags.commit}".` };
  const commit = tags.commit.toLowerCase();
  if (!tags.sourceName) return { kind: 'noSource', message: 'The run does not name its source file (tag mlflow.source.name).' };
  if (repositories.length === 0) {
    return {
      kind: 'noRepository',
      message: `No git repository is open in this workspace; open the repository the run was made from${describeUrl(tags.repoUrl)}.`,
    };
  }
  const source = sourcePath(tags);
  if (source.absolute) {
    const containing = repositories
      .filter((r) => source.path === r.root || source.path.startsWith(r.root === '/' ? '/' : `${r.root}/`))
      .sort((a, b) => b.root.length - a.root.length)[0];
    if (containing) {
      const relative = source.path.slice(containing.root.length).replace(/^\/+/, '');
      return { kind: 'resolved', commit, repository: containing, candidates: withFile([relative], source.file).slice(0, 1), matchedBy: 'path' };
    }
  }
  const wanted = tags.repoUrl ? normalizeRemoteUrl(tags.repoUrl) : undefined;
  const byRemote = wanted ? repositories.find((r) => r.remoteUrls.some((u) => normalizeRemoteUrl(u) === wanted)) : undefined;
  const chosen = byRemote ?? (wanted === undefined && repositories.length === 1 ? repositories[0] : undefined);
  if (!chosen) {
    const roots = repositories.map((r) => r.root).join(', ');
    const from = tags.repoUrl ? `the repository ${tags.repoUrl}` : `a checkout at ${source.path}`;
    return {
      kind: 'repositoryMismatch',
      message: `The run was made from ${from}, which is not a repository open in this workspace (${roots}). Open that repository to see its source.`,
    };
  }
  return {
    kind: 'resolved',
    commit,
    repository: chosen,
    candidates: withFile(source.exact ? [source.path] : pathSuffixes(source.path), source.file),
    matchedBy: byRemote ? 'remote' : 'only repository',
  };
}

interface SourcePath {
  path: string;
  absolute: boolean;
  /** Relative to the repository root as it is (a remote project's subdirectory), not a guess to shorten. */
  exact?: boolean;
  /** The file to open inside a project folder (MLproject), when the source names a folder. */
  file?: string;
}

/** The recorded source as a `/`-separated path; a project's URI becomes its folder and `MLproject`. */
function sourcePath(tags: RunSourceTags): SourcePath {
  let name = tags.sourceName!;
  const project = tags.sourceType === 'PROJECT';
  if (/^file:/i.test(name)) {
    name = decodeURIComponent(name.replace(/^file:(\/\/[^/]*)?/i, ''));
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(name) || /^git@/i.test(name)) {
    // A remote project (`https://github.com/org/repo#sub/dir`): the part after `#` is the folder in the repository.
    const hash = name.indexOf('#');
    const sub = hash >= 0 ? name.slice(hash + 1).replace(/^\/+|\/+$/g, '') : '';
    return { path: sub, absolute: false, exact: true, file: 'MLproject' };
  }
  name = name.replace(/\\/g, '/');
  if (/^[a-z]:\//i.test(name)) name = `/${name}`;
  const absolute = name.startsWith('/');
  const path = normalizePosix(name);
  return { path, absolute, file: project ? 'MLproject' : undefined };
}

/** `a/./b/../c` → `a/c`; leading `..` dropped (the working directory they climbed out of is unknown). */
function normalizePosix(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return (path.startsWith('/') ? '/' : '') + out.join('/');
}

/** `/home/ana/projects/mnist/src/train.py` → `home/ana/…/train.py`, …, `src/train.py`, `train.py`: longest first. */
function pathSuffixes(path: string): string[] {
  const parts = path.split('/').filter((p) => p !== '');
  return parts.map((_, i) => parts.slice(i).join('/'));
}

function withFile(paths: string[], file: string | undefined): string[] {
  if (!file) return paths.filter((p) => p !== '');
  const joined = paths.map((p) => (p === '' ? file : `${p}/${file}`));
  return joined.includes(file) ? joined : [...joined, file];
}

/**
 * One spelling for a repository whatever the protocol: `git@github.com:org/repo.git`,
 * `ssh://git@github.com/org/repo`, `https://user:token@github.com/org/repo.git/` → `github.com/org/repo`.
 */
export function normalizeRemoteUrl(url: string): string {
  let u = url.trim();
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/)(.*)$/.exec(u);
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(u)) u = `${scp[1]}/${scp[2]}`;
  u = u.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^[^@/]*@/, '');
  u = u.replace(/:\d+\//, '/');
  return u
    .replace(/\/+$/, '')
    .replace(/\.git$/i, '')
    .toLowerCase();
}

function describeUrl(url: string | undefined): string {
  return url ? ` (${url})` : '';
}
