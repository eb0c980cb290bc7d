import { spawnSync } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { freshTempDir, repoRoot, resultsDir } from './paths';
import { cleanupOnExit, freePort, ProcessGroup, waitForHttp } from './processes';

/** A code-server install: the npm package plus the Node 24 it runs on. */
export interface CodeServerInstall {
  /** The cache folder holding both. */
  dir: string;
  /** Node 24's folder (with `bin/node`). */
  nodeDir: string;
  /** The `code-server` launcher script. */
  bin: string;
}

let cachedInstall: CodeServerInstall | undefined;

/**
 * Finds the cached code-server, installing it first when missing (about 3 minutes
 * and 620 MB, once per machine; see scripts/install-code-server.sh).
 */
export function locateCodeServer(): CodeServerInstall {
  if (cachedInstall) return cachedInstall;
  const script = join(repoRoot, 'scripts', 'install-code-server.sh');
  const result = spawnSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) throw new Error(`${script} failed with exit code ${result.status}`);
  const dir = result.stdout.trim().split('\n').pop() ?? '';
  const nodeDir = readFileSync(join(dir, 'node-dir'), 'utf8').trim();
  const bin = join(dir, 'server', 'node_modules', '.bin', 'code-server');
  if (!existsSync(bin) || !existsSync(join(nodeDir, 'bin', 'node'))) {
    throw new Error(`code-server install in ${dir} is incomplete; delete that folder and run again`);
  }
  cachedInstall = { dir, nodeDir, bin };
  return cachedInstall;
}

export interface StartCodeServerOptions {
  /** Folder the workbench opens. */
  workspace: string;
  /**
   * Copy `workspace` into a temp folder first, so tests may edit files freely
   * (default true). The copy is deleted on stop.
   */
  copyWorkspace?: boolean;
  /** A `.vsix` to install into the (otherwise empty) extensions folder before starting. */
  vsix?: string;
  /** Start with `enable-smoke-test-driver`, needed to run tests in the extension host. */
  smokeTestDriver?: boolean;
  /** Extra user settings (merged over the harness defaults). */
  settings?: Record<string, unknown>;
  /** Extra environment for the server and the extension host it starts. */
  env?: Record<string, string>;
  /** Names the log file under test-results/logs/. */
  name?: string;
  /** Port to listen on (127.0.0.1); default: a free one. */
  port?: number;
  /** Keep Workspace Trust on (VS Code then asks whether to trust the folder); default off. */
  workspaceTrust?: boolean;
}

export interface CodeServer {
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  /** The folder the workbench opens (the copy, when copied). */
  readonly workspace: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  /** The server's stdout and stderr. */
  readonly logFile: string;
  /** The workbench URL for the workspace, with an optional `payload` (see VS Code's web embedder API). */
  workbenchUrl(payload?: [string, string][]): string;
  /** The extension's own log files (its "MLflow" output channel), one per window the server opened. */
  extensionLogs(): string[];
  /** Stops the server and every helper process it started; deletes its temp folders. */
  stop(): Promise<void>;
}

/** User settings every test server starts with: nothing pops up over the workbench. */
const defaultSettings: Record<string, unknown> = {
  'chat.disableAIFeatures': true,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

function serverEnv(install: CodeServerInstall, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${join(install.nodeDir, 'bin')}:${process.env.PATH ?? ''}`,
    ...extra,
  };
}

function commonArgs(configFile: string, userDataDir: string, extensionsDir: string): string[] {
  return ['--config', configFile, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
}

/** Installs a `.vsix` into `extensionsDir` with code-server's own CLI (as a user would). */
export function installVsix(install: CodeServerInstall, vsix: string, dirs: { configFile: string; userDataDir: string; extensionsDir: string }): void {
  if (!existsSync(vsix)) throw new Error(`no such .vsix: ${vsix} (run npm run package)`);
  const result = spawnSync(install.bin, [...commonArgs(dirs.configFile, dirs.userDataDir, dirs.extensionsDir), '--force', '--install-extension', vsix], {
    env: serverEnv(install),
    encoding: 'utf8',
    timeout: 120_000,
  });
  const installed = existsSync(dirs.extensionsDir) && readdirSync(dirs.extensionsDir).some((name) => !name.startsWith('.') && name !== 'extensions.json');
  if (result.status !== 0 || !installed) {
    throw new Error(`installing ${basename(vsix)} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
}

/**
 * Starts code-server on a free port with its own config, user data and
 * extensions folders, and waits until it answers. Always `stop()` it
 * (in an `after`/`finally`), also when the test fails.
 */
export async function startCodeServer(options: StartCodeServerOptions): Promise<CodeServer> {
  const install = locateCodeServer();
  const root = freshTempDir('code-server');
  const userDataDir = join(root, 'user-data');
  const extensionsDir = join(root, 'extensions');
  const configFile = join(root, 'config.yaml');
  const removeRoot = () => rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  const forgetRoot = cleanupOnExit(removeRoot);
  const cleanupFolders = () => {
    removeRoot();
    forgetRoot();
  };

  let workspace = options.workspace;
  try {
    if (options.copyWorkspace ?? true) {
      workspace = join(root, 'workspace', basename(options.workspace));
      cpSync(options.workspace, workspace, { recursive: true });
    }
    mkdirSync(join(userDataDir, 'User'), { recursive: true });
    mkdirSync(extensionsDir, { recursive: true });
    const trust = options.workspaceTrust ? { 'security.workspace.trust.enabled': true } : {};
    writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...defaultSettings, ...trust, ...options.settings }, null, 2));
    // Without its own config, code-server reads (or writes) ~/.config/code-server/config.yaml.
    writeFileSync(configFile, 'auth: none\ncert: false\n');
    if (options.vsix) installVsix(install, options.vsix, { configFile, userDataDir, extensionsDir });
  } catch (error) {
    cleanupFolders();
    throw error;
  }

  const logsDir = join(resultsDir, 'logs');
  mkdirSync(logsDir, { recursive: true });
  const args = [
    ...commonArgs(configFile, userDataDir, extensionsDir),
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    workspace,
  ];

  // A free port can be taken by someone else before the server binds it: then try another.
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    const baseUrl = `http://127.0.0.1:${port}`;
    const logFile = join(logsDir, `${options.name ?? 'code-server'}-${port}.log`);
    writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
    const log = createWriteStream(logFile);
    const group = ProcessGroup.spawn(install.bin, args, { env: serverEnv(install, options.env), stdio: ['ignore', 'pipe', 'pipe'] });
    group.child.stdout?.pipe(log, { end: false });
    group.child.stderr?.pipe(log, { end: false });
    let exited: string | undefined;
    group.child.on('exit', (code, signal) => {
      exited = `code-server exited early (code ${code}, signal ${signal}); see ${logFile}`;
    });
    const stopServer = async () => {
      await group.stop();
      await new Promise<void>((resolve) => log.end(resolve));
    };

    try {
      await waitForHttp(`${baseUrl}/healthz`, 60_000, () => exited);
    } catch (error) {
      await stopServer();
      const portTaken = readFileSync(logFile, 'utf8').includes('EADDRINUSE');
      if (portTaken && options.port === undefined && attempt < 3) continue;
      cleanupFolders();
      throw error;
    }

    return {
      port,
      baseUrl,
      workspace,
      userDataDir,
      extensionsDir,
      logFile,
      workbenchUrl(payload) {
        let url = `${baseUrl}/?folder=${encodeURIComponent(workspace)}`;
        if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
        return url;
      },
      extensionLogs() {
        const logs = join(userDataDir, 'logs');
        if (!existsSync(logs)) return [];
        return readdirSync(logs, { recursive: true, encoding: 'utf8' })
          .filter((f) => f.endsWith(join('mlflow-vscode.vscode-mlflow', 'MLflow.log')))
          .map((f) => join(logs, f));
      },
      async stop() {
        await stopServer();
        cleanupFolders();
      },
    };
  }
}
