import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { LanguageServerInitializationOptions } from '../../protocol/languageServer';
import { errorMessage } from '../../format/errors';

export interface LanguageClientDeps {
  output: vscode.LogOutputChannel;
}

export const RESTART_LANGUAGE_SERVER_COMMAND = 'mlflow.restartLanguageServer';

/** The language client's registration; `stop()` is what `deactivate()` hands VS Code to wait for. */
export interface LanguageClientRegistration extends vscode.Disposable {
  stop(): Promise<void>;
}

/** Starts the MLproject/MLmodel language server for the `mlproject` and `mlmodel` languages. */
export function registerLanguageClient(context: vscode.ExtensionContext, deps: LanguageClientDeps): LanguageClientRegistration {
  const controller = new LanguageClientController(context, deps.output);
  void controller.start();
  const restart = vscode.commands.registerCommand(RESTART_LANGUAGE_SERVER_COMMAND, () => controller.restart());
  return {
    stop: () => controller.dispose(),
    dispose: () => {
      restart.dispose();
      void controller.dispose();
    },
  };
}

/**
 * Owns one language client at a time. Everything created for a client (the client itself, its file
 * watcher) lives in that client's own list, so a restart disposes exactly those and nothing of the
 * extension's.
 */
class LanguageClientController implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private clientDisposables: vscode.Disposable[] = [];
  private starting: Promise<void> | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  start(): Promise<void> {
    this.starting ??= this.createAndStart().finally(() => (this.starting = undefined));
    return this.starting;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async dispose(): Promise<void> {
    await this.stop();
  }

  private async createAndStart(): Promise<void> {
    const module = this.context.asAbsolutePath('dist/language-server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
    };
    // Neighbouring files matter to the diagnostics (conda.yaml, python_env.yaml, entry-point scripts,
    // files an MLmodel names), so their creation, deletion and edits are forwarded; nothing broader.
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml,py,sh,R,txt,json,pkl}');
    this.clientDisposables.push(watcher);
    const initializationOptions: LanguageServerInitializationOptions = {};
    const clientOptions: LanguageClientOptions = {
      documentSelector: ['mlproject', 'mlmodel'].flatMap((language) => [
        { language, scheme: 'file' },
        { language, scheme: 'untitled' },
      ]),
      synchronize: { fileEvents: watcher },
      outputChannel: this.output,
      initializationOptions,
      middleware: {
        // The server always sends "Run", "Run with parameters…" and "Serve model" lenses. Their commands
        // (mlflow.runEntryPoint, mlflow.serveModel: src/extension/run, src/extension/serve) are registered
        // before the client starts; a lens whose command is not registered (another client's build of the
        // server) would do nothing when clicked, so it is not shown.
        provideCodeLenses: async (document, token, next) => {
          const lenses = await next(document, token);
          if (!lenses?.length) return lenses;
          const registered = new Set(await vscode.commands.getCommands(true));
          return lenses.filter((lens) => !lens.command || registered.has(lens.command.command));
        },
      },
    };
    const client = new LanguageClient('mlflow', 'MLflow Language Server', serverOptions, clientOptions);
    this.client = client;
    this.clientDisposables.push(client);
    try {
      await client.start();
      this.output.info('MLflow language server started');
    } catch (error) {
      this.output.error(`MLflow language server failed to start: ${errorMessage(error)}`);
    }
  }

  private async stop(): Promise<void> {
    await this.starting?.catch(() => undefined);
    const client = this.client;
    const disposables = this.clientDisposables;
    this.client = undefined;
    this.clientDisposables = [];
    if (client?.isRunning()) {
      try {
        await client.stop();
      } catch (error) {
        this.output.warn(`MLflow language server did not stop cleanly: ${errorMessage(error)}`);
      }
    }
    for (const disposable of disposables.reverse()) {
      try {
        await disposable.dispose();
      } catch {
        // Already disposed by stop().
      }
    }
  }
}
