import { ChildProcess, spawn, SpawnOptions } from 'node:child_process';
import { createServer } from 'node:net';

/** A port nobody listens on right now, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

const liveGroups = new Set<number>();
const exitCleanups = new Set<() => void>();
let exitHookInstalled = false;

/**
 * Last resort for a runner that dies mid-run (an uncaught error, Ctrl-C): kill
 * every process group we started and run the registered cleanups. `exit`
 * handlers must be synchronous, hence SIGKILL right away.
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pgid of liveGroups) killGroup(pgid, 'SIGKILL');
    for (const cleanup of exitCleanups) {
      try {
        cleanup();
      } catch {
        // best effort while exiting
      }
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1)));
  }
}

/** Runs `cleanup` (synchronous) if the process exits before the returned function is called. */
export function cleanupOnExit(cleanup: () => void): () => void {
  installExitHook();
  exitCleanups.add(cleanup);
  return () => exitCleanups.delete(cleanup);
}

function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // already gone
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A process started in its own session (`setsid`), so that stopping it also
 * stops every helper it forked: killing the one PID would leave those behind.
 */
export class ProcessGroup {
  private constructor(
    readonly child: ChildProcess,
    readonly pgid: number,
  ) {}

  static spawn(command: string, args: string[], options: SpawnOptions): ProcessGroup {
    installExitHook();
    const child = spawn(command, args, { ...options, detached: true });
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    liveGroups.add(child.pid);
    return new ProcessGroup(child, child.pid);
  }

  /** SIGTERM to the whole group, then SIGKILL to whatever is still there. */
  async stop(graceMs = 3000): Promise<void> {
    if (!liveGroups.has(this.pgid)) return;
    killGroup(this.pgid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (groupAlive(this.pgid) && Date.now() < deadline) await sleep(100);
    if (groupAlive(this.pgid)) killGroup(this.pgid, 'SIGKILL');
    while (groupAlive(this.pgid) && Date.now() < deadline + 2000) await sleep(50);
    liveGroups.delete(this.pgid);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `url` until it answers with any HTTP status, or fails after `timeoutMs`. */
export async function waitForHttp(url: string, timeoutMs: number, isDead: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    const dead = isDead();
    if (dead) throw new Error(dead);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      return;
    } catch (error) {
      lastError = String(error);
    }
    await sleep(200);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (${lastError})`);
}
