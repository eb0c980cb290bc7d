/**
 * MLflow command lines as data: the program, its arguments and the environment the terminal
 * needs, built from the user's choices. Quoting for a shell happens later, in one place
 * (src/shell). Plain module: no `vscode` import.
 */

/** How to start MLflow: `mlflow`, a path to it, or `<python> -m mlflow`. */
export interface MlflowInvocation {
  program: string;
  /** Arguments before MLflow's own (`['-m', 'mlflow']` for an interpreter). */
  prefixArgs: string[];
  /** Shown to the user: where this MLflow came from. */
  source: 'setting' | 'interpreter' | 'path';
}

export interface CommandLine {
  program: string;
  args: string[];
  /** Added to the terminal's environment; never written on the command line (it may hold secrets). */
  env: Record<string, string>;
  /** Working folder. */
  cwd?: string;
}

export const ENV_MANAGERS = ['local', 'virtualenv', 'uv', 'conda'] as const;
export type EnvManager = (typeof ENV_MANAGERS)[number];

/** Where the runs go, and how to sign in: passed through the environment as MLflow's client reads it. */
export interface TrackingTarget {
  uri: string;
  token?: string;
  username?: string;
  password?: string;
}

export interface RunOptions {
  /** A folder, or a Git URI (`https://…/repo.git#subdir`). */
  projectUri: string;
  entryPoint: string;
  /** Declared and extra parameters, in order; each becomes `-P key=value`. */
  parameters: [string, string][];
  experimentName?: string;
  experimentId?: string;
  runName?: string;
  envManager?: EnvManager;
  /** Git commit, branch or tag (`-v`). */
  version?: string;
  /** `--build-image` (Docker projects). */
  buildImage?: boolean;
  /** Docker arguments, `-A name=value` or `-A flag`. */
  dockerArgs?: string[];
  /** `-b`: local (default), databricks, kubernetes. */
  backend?: string;
  /** `-c`: a JSON file or JSON text for the backend. */
  backendConfig?: string;
  tracking?: TrackingTarget;
  cwd?: string;
}

export function trackingEnvironment(tracking: TrackingTarget | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  if (!tracking) return env;
  env.MLFLOW_TRACKING_URI = tracking.uri;
  if (tracking.token) env.MLFLOW_TRACKING_TOKEN = tracking.token;
  if (tracking.username) env.MLFLOW_TRACKING_USERNAME = tracking.username;
  if (tracking.password) env.MLFLOW_TRACKING_PASSWORD = tracking.password;
  return env;
}

function start(mlflow: MlflowInvocation, args: string[], tracking: TrackingTarget | undefined, cwd: string | undefined): CommandLine {
  return { program: mlflow.program, args: [...mlflow.prefixArgs, ...args], env: trackingEnvironment(tracking), cwd };
}

/** `mlflow run <uri> -e <entry> -P k=v … [options]` (MLflow's `mlflow run` options). */
export function mlflowRunCommand(mlflow: MlflowInvocation, options: RunOptions): CommandLine {
  const args = ['run', options.projectUri, '-e', options.entryPoint];
  for (const [key, value] of options.parameters) args.push('-P', `${key}=${value}`);
  if (options.experimentId) args.push('--experiment-id', options.experimentId);
  else if (options.experimentName) args.push('--experiment-name', options.experimentName);
  if (options.runName) args.push('--run-name', options.runName);
  if (options.envManager) args.push('--env-manager', options.envManager);
  if (options.version) args.push('-v', options.version);
  if (options.buildImage) args.push('--build-image');
  for (const dockerArg of options.dockerArgs ?? []) args.push('-A', dockerArg);
  if (options.backend) args.push('-b', options.backend);
  if (options.backendConfig) args.push('-c', options.backendConfig);
  return start(mlflow, args, options.tracking, options.cwd);
}

interface ServeOptions {
  modelUri: string;
  port: number;
  host?: string;
  envManager?: EnvManager;
  tracking?: TrackingTarget;
  cwd?: string;
}

/** `mlflow models serve -m <uri> -h 127.0.0.1 -p <port> --env-manager <…>`. */
export function modelsServeCommand(mlflow: MlflowInvocation, options: ServeOptions): CommandLine {
  const args = ['models', 'serve', '-m', options.modelUri, '-h', options.host ?? '127.0.0.1', '-p', String(options.port)];
  if (options.envManager) args.push('--env-manager', options.envManager);
  return start(mlflow, args, options.tracking, options.cwd);
}

/** `mlflow models build-docker -m <uri> -n <image name>`. */
export function buildDockerCommand(
  mlflow: MlflowInvocation,
  options: { modelUri: string; imageName: string; envManager?: EnvManager; tracking?: TrackingTarget; cwd?: string },
): CommandLine {
  const args = ['models', 'build-docker', '-m', options.modelUri, '-n', options.imageName];
  if (options.envManager) args.push('--env-manager', options.envManager);
  return start(mlflow, args, options.tracking, options.cwd);
}

/** `mlflow ui --backend-store-uri <store>` (a local store: its own folder or database). */
export function uiCommand(mlflow: MlflowInvocation, options: { storeUri: string; port?: number; cwd?: string }): CommandLine {
  const args = ['ui', '--backend-store-uri', options.storeUri];
  if (options.port !== undefined) args.push('--port', String(options.port));
  return { program: mlflow.program, args: [...mlflow.prefixArgs, ...args], env: {}, cwd: options.cwd };
}

/** A Docker image name as `docker build -t` accepts it, derived from a model's name. */
export function dockerImageName(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return cleaned || 'mlflow-model';
}

interface GitProject {
  /** What `mlflow run` receives: `<repo>` or `<repo>#<subdir>`. */
  uri: string;
  repository: string;
  subdirectory?: string;
}

/**
 * A Git project URI as MLflow reads it (`https://github.com/org/repo.git#examples/x`): the
 * repository, then an optional subfolder after `#`. MLflow refuses any `.` in the subfolder
 * (`_parse_subdirectory`: "'.' is not allowed in project subdirectory paths."), so this does
 * too, before anything runs. Returns an error message or the parsed project.
 */
export function parseGitProjectUri(input: string): GitProject | string {
  const text = input.trim();
  if (!text) return 'Enter the URL of a Git repository.';
  if (/\s/.test(text)) return 'A repository URL cannot contain spaces.';
  const hash = text.indexOf('#');
  const repository = hash < 0 ? text : text.slice(0, hash);
  const subdirectory = hash < 0 ? undefined : text.slice(hash + 1).replace(/^\/+|\/+$/g, '');
  if (!/^(https?:\/\/|ssh:\/\/|git@|git:\/\/|file:\/\/)/.test(repository)) {
    return 'Enter a Git URL (https://…, git@host:org/repo.git, ssh://…, file://…).';
  }
  if (!/^(https?|ssh|git|file):\/\/[^/]+|^git@[^:]+:/.test(repository)) return 'The repository URL has no host.';
  if (hash >= 0 && !subdirectory) return 'Nothing follows "#": give a subfolder of the repository, or remove the "#".';
  if (subdirectory?.includes('.')) {
    return `MLflow does not allow "." in the project subfolder after "#" ("${subdirectory}"): give the path from the repository's root, without "." or "..".`;
  }
  return { uri: subdirectory ? `${repository}#${subdirectory}` : repository, repository, subdirectory };
}
