// A minimal LSP client for tests and benchmarks: spawns the real server over stdio and speaks the
// protocol through vscode-languageserver-protocol, like any editor would.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Position,
  type Range,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';

const ROOT = join(__dirname, '..', '..');
const SERVER_SOURCE = join(ROOT, 'src/language-server/server.ts');

/** Bundles the server to `outfile` with the options scripts/build.mjs uses for dist/language-server.js. */
export async function bundleServer(outfile: string): Promise<void> {
  await esbuild.build({
    entryPoints: [SERVER_SOURCE],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    absWorkingDir: ROOT,
    logLevel: 'silent',
  });
}

export interface StartOptions {
  /** A bundled server (dist/language-server.js); default: the TypeScript source through tsx. */
  serverScript?: string;
  initializationOptions?: unknown;
  rootUri?: string | null;
  /** Extra flags for node, e.g. --expose-gc. */
  nodeArgs?: string[];
}

type Waiter = { uri: string; version?: number; resolve: (p: PublishDiagnosticsParams) => void };

export class LspTestClient {
  readonly stderr: string[] = [];
  /** Every publishDiagnostics received, per URI, in order. */
  readonly published = new Map<string, PublishDiagnosticsParams[]>();
  private readonly waiters: Waiter[] = [];
  private readonly versions = new Map<string, number>();
  private exited = false;
  /** The server's answer to initialize. */
  initializeResult: { capabilities: Record<string, unknown>; serverInfo?: { name: string } } | undefined;

  private constructor(
    readonly process: ChildProcess,
    readonly connection: ProtocolConnection,
  ) {}

  static async start(options: StartOptions = {}): Promise<LspTestClient> {
    const args = options.serverScript
      ? [...(options.nodeArgs ?? []), options.serverScript, '--stdio']
      : [...(options.nodeArgs ?? []), '--require', 'tsx/cjs', SERVER_SOURCE, '--stdio'];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspTestClient(child, connection);
    child.stderr!.on('data', (chunk: Buffer) => client.stderr.push(chunk.toString()));
    child.on('exit', () => (client.exited = true));
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => client.onDiagnostics(params));
    connection.onNotification('window/logMessage', (params: { message: string }) => void client.stderr.push(params.message));
    connection.listen();
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`language server exited (${code}) during initialize: ${client.stderr.join('')}`))),
    );
    client.initializeResult = await Promise.race([
      exited,
      connection.sendRequest<NonNullable<LspTestClient['initializeResult']>>('initialize', {
        processId: process.pid,
        rootUri: options.rootUri ?? null,
        capabilities: {
          textDocument: {
            publishDiagnostics: { versionSupport: true },
            completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
            hover: { contentFormat: ['markdown', 'plaintext'] },
            rename: { prepareSupport: true },
            documentSymbol: { hierarchicalDocumentSymbolSupport: true },
          },
        },
        initializationOptions: options.initializationOptions,
      }),
    ]);
    exited.catch(() => undefined);
    await connection.sendNotification('initialized', {});
    return client;
  }

  get alive(): boolean {
    return !this.exited;
  }

  private onDiagnostics(params: PublishDiagnosticsParams): void {
    const list = this.published.get(params.uri) ?? [];
    list.push(params);
    this.published.set(params.uri, list);
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i];
      if (w.uri === params.uri && (w.version === undefined || w.version === params.version)) {
        this.waiters.splice(i, 1);
        w.resolve(params);
      }
    }
  }

  /** The next publishDiagnostics for `uri` (for `version`, when given), or one already received for that version. */
  diagnostics(uri: string, version?: number, timeoutMs = 10000): Promise<PublishDiagnosticsParams> {
    if (version !== undefined) {
      const done = this.published.get(uri)?.find((p) => p.version === version);
      if (done) return Promise.resolve(done);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no diagnostics for ${uri} v${version} within ${timeoutMs} ms; stderr: ${this.stderr.join('')}`)),
        timeoutMs,
      );
      this.waiters.push({ uri, version, resolve: (p) => (clearTimeout(timer), resolve(p)) });
    });
  }

  async open(uri: string, text: string, languageId = 'mlproject'): Promise<number> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return 1;
  }

  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // Already gone.
    }
    await new Promise<void>((resolve) => {
      if (this.exited) return resolve();
      const timer = setTimeout(() => (this.process.kill(), resolve()), 2000);
      this.process.once('exit', () => (clearTimeout(timer), resolve()));
    });
    this.connection.dispose();
  }
}

/** The text a range covers. */
export function textAt(text: string, range: Range): string {
  const lines = text.split('\n');
  const offset = (p: Position) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return text.slice(offset(range.start), offset(range.end));
}

/** Applies LSP text edits to a text (edits must not overlap). */
export function applyEdits(text: string, edits: { range: Range; newText: string }[]): string {
  const lines = text.split('\n');
  const offset = (p: Position) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let result = text;
  for (const edit of sorted) result = result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end));
  return result;
}
