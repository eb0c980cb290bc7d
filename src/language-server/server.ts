// The MLflow language server for `MLproject` and `MLmodel` files. Runs in VS Code (started by
// src/extension/languageClient/languageClient.ts over IPC) and standalone for other editors:
//   node dist/language-server.js --stdio
// Transport flags (--stdio, --node-ipc, --socket=N) are read by vscode-languageserver itself.
import {
  createConnection,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
  type Position,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../mlflow-files';
import { DEFAULT_VALIDATION_DELAY_MS, type LanguageServerInitializationOptions } from '../protocol/languageServer';
import { AnalysisCache, documentKind } from './analysis';
import { ChunkedTextDocument } from './chunkedDocument';
import { clampPosition } from './positions';
import { codeActions, type PublishedFindings } from './codeActions';
import { COMPLETION_TRIGGER_CHARACTERS } from './completion';
import { guardDeepNesting } from './deepNesting';
import { FEATURES, findingsOf, type FeatureHandler, type FeatureName, type FeatureParams, type FeatureResult } from './features';
import { AnalysisWorker, isLarge, runAnalysisWorkerIfWorker } from './largeDocuments';
import { forgetProjectFiles, projectFilesFor } from './projectFiles';
import { ValidationScheduler } from './validation';
import { windowedCompletion } from './windowedCompletion';

/** `workerScript`: the module to load as the analysis worker (this server's own file or bundle). */
export function startServer(connection: Connection, workerScript: string = __filename): void {
  const log = (message: string) => connection.console.error(message);
  const worker = new AnalysisWorker(workerScript, log);
  // Edits are applied to the changed chunk only, and passed on to the worker's copy as they came.
  const documents = new TextDocuments<ChunkedTextDocument>({
    create: ChunkedTextDocument.create,
    update: (document, changes, version) => {
      const updated = ChunkedTextDocument.update(document, changes, version);
      worker.changed(updated, changes);
      return updated;
    },
  });
  const analyses = new AnalysisCache();
  const published = new Map<string, PublishedFindings>();
  let scheduler: ValidationScheduler | undefined;

  /** Runs a request handler so that a bug on one odd document answers `fallback` instead of failing the request. */
  function guarded<P, R>(name: string, fallback: R, handler: (params: P) => R | Promise<R>): (params: P) => Promise<R> {
    return async (params: P) => {
      try {
        return await handler(params);
      } catch (error) {
        // Deliberate answers (rename refusing a name) go back to the client as they are.
        if (error instanceof ResponseError) throw error;
        log(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        return fallback;
      }
    };
  }

  connection.onInitialize((params): InitializeResult => {
    const options = (params.initializationOptions ?? {}) as LanguageServerInitializationOptions;
    const delay = typeof options.validationDelayMs === 'number' && options.validationDelayMs >= 0 ? options.validationDelayMs : DEFAULT_VALIDATION_DELAY_MS;
    scheduler = new ValidationScheduler(
      {
        documents,
        findings: async (original) => {
          // A large document is checked for deep nesting in the worker, off this thread.
          if (isLarge(original)) return (await worker.run(original, 'validate')) as Finding[];
          const { document, findings: tooDeep } = guardDeepNesting(original);
          const analyzed = analyses.get(document);
          return analyzed ? [...tooDeep, ...(await findingsOf(analyzed, projectFilesFor(document.uri, documents)))] : undefined;
        },
        publish: (uri, version, diagnostics) => void connection.sendDiagnostics({ uri, version, diagnostics }),
        remember: (uri, version, findings: Finding[]) => published.set(uri, { version, findings }),
        log,
      },
      delay,
    );
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: COMPLETION_TRIGGER_CHARACTERS, resolveProvider: false },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        documentLinkProvider: { resolveProvider: false },
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        codeLensProvider: { resolveProvider: false },
      },
      serverInfo: { name: 'mlflow-language-server', version: '0.1.0' },
    };
  });

  /** Other open MLflow documents may name the file that just changed (a script, conda.yaml). */
  const revalidateOthers = (changedUri: string) => {
    for (const document of documents.all()) {
      if (document.uri !== changedUri && documentKind(document)) scheduler?.schedule(document.uri);
    }
  };

  // TextDocuments fires onDidChangeContent right after onDidOpen; the version validated on open is
  // remembered so that this echo does not start a second, debounced run.
  const openedVersions = new Map<string, number>();
  documents.onDidOpen((event) => {
    const { document } = event;
    if (documentKind(document)) {
      openedVersions.set(document.uri, document.version);
      scheduler?.validateNow(document.uri);
    }
    revalidateOthers(document.uri);
  });
  documents.onDidChangeContent((event) => {
    const { document } = event;
    if (!documentKind(document)) return revalidateOthers(document.uri);
    // A document that shrank below the size limit is served here again; the worker's copy can go.
    if (worker.has(document.uri) && !isLarge(document)) worker.forget(document.uri);
    if (openedVersions.get(document.uri) === document.version) return;
    openedVersions.delete(document.uri);
    scheduler?.schedule(document.uri);
  });
  documents.onDidClose((event) => {
    openedVersions.delete(event.document.uri);
    worker.forget(event.document.uri);
    analyses.forget(event.document.uri);
    published.delete(event.document.uri);
    if (documentKind(event.document)) scheduler?.close(event.document.uri);
    revalidateOthers(event.document.uri);
  });
  connection.onDidChangeWatchedFiles(() => {
    forgetProjectFiles();
    revalidateOthers('');
  });

  /**
   * A request handler for one feature: answered from the shared parse on this thread, or by the
   * analysis worker for very large documents, so that parsing one never stalls the others.
   */
  function serve<N extends FeatureName>(name: N, fallback: FeatureResult<N> | null) {
    return guarded(name, fallback, async (params: FeatureParams<N>) => {
      const open = documents.get(params.textDocument.uri);
      if (!open || !documentKind(open)) return fallback;
      params = clampParams(open, params);
      if (isLarge(open)) {
        // Right after a keystroke a large document is not parsed yet; completion needs only the text around the cursor.
        if (name === 'completion') {
          return ((await windowedCompletion(open, (params as FeatureParams<'completion'>).position)) as FeatureResult<N> | null) ?? fallback;
        }
        return ((await worker.run(open, name, params)) as FeatureResult<N> | null) ?? fallback;
      }
      const { document } = guardDeepNesting(open);
      const a = analyses.get(document);
      const handler = FEATURES[name] as FeatureHandler<N>;
      return a ? await handler(a, params, projectFilesFor(document.uri, documents)) : fallback;
    });
  }
  connection.onCompletion(serve('completion', null));
  connection.onHover(serve('hover', null));
  connection.onDefinition(serve('definition', []));
  connection.onReferences(serve('references', []));
  connection.onDocumentHighlight(serve('documentHighlight', []));
  connection.onDocumentLinks(serve('documentLink', []));
  connection.onPrepareRename(serve('prepareRename', null));
  connection.onRenameRequest(serve('rename', null));
  connection.onDocumentSymbol(serve('documentSymbol', []));
  connection.onFoldingRanges(serve('foldingRange', []));
  connection.onCodeLens(serve('codeLens', []));
  connection.onCodeAction(
    guarded('codeAction', [], (params) => {
      const document = documents.get(params.textDocument.uri);
      return document ? codeActions(params, published.get(params.textDocument.uri), document.version) : [];
    }),
  );
  connection.onShutdown(() => {
    scheduler?.dispose();
    worker.dispose();
  });

  documents.listen(connection);
  connection.listen();
}

/** LSP: a position past the end of a line means the line's end; past the last line, the document's end. */
function clampParams<P>(document: TextDocument, params: P): P {
  const position = (params as { position?: Position }).position;
  if (!position) return params;
  const clamped = clampPosition(document, position);
  return clamped === position ? params : { ...params, position: clamped };
}

if (!runAnalysisWorkerIfWorker() && require.main === module) {
  startServer(createConnection(ProposedFeatures.all));
}
