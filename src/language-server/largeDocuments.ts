// Very large documents (a generated MLproject of several megabytes) take seconds to parse. They are
// analysed in a worker thread, so that while one is parsed the main thread keeps answering every
// other document. The worker runs the same feature functions over its own copy of the text: sent
// whole once, then kept up to date with each edit's changes (a keystroke sends a few bytes, not 50 MB).
import { isMainThread, parentPort, Worker, workerData, type MessagePort } from 'node:worker_threads';
import { ResponseError, type TextDocumentContentChangeEvent } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../mlflow-files';
import { AnalysisCache } from './analysis';
import { ChunkedTextDocument } from './chunkedDocument';
import { guardDeepNesting } from './deepNesting';
import { FEATURES, findingsOf, type FeatureHandler, type FeatureName, type FeatureParams } from './features';
import { projectFilesFor } from './projectFiles';
import { errorMessage } from '../format/errors';

/** Above this size (UTF-16 units) a document is analysed in the worker. Parsing 256 K takes ~0.1–0.3 s. */
export const LARGE_DOCUMENT_CHARS = 256 * 1024;

export function isLarge(document: TextDocument): boolean {
  // A chunked document knows its length without joining its text.
  return (document instanceof ChunkedTextDocument ? document.length : document.getText().length) > LARGE_DOCUMENT_CHARS;
}

type WorkerMethod = FeatureName | 'validate' | 'forget' | 'change';

interface WorkerRequest {
  id: number;
  uri: string;
  languageId: string;
  version: number;
  /** Sent only when the worker does not have this document yet. */
  text?: string;
  method: WorkerMethod;
  params?: unknown;
  /** For `change`: the edits from the previous version to `version`, as the client sent them. */
  changes?: TextDocumentContentChangeEvent[];
}

interface WorkerResponse {
  id: number;
  /** The worker's copy is not at the requested version (it missed a change): send the text again. */
  stale?: boolean;
  result?: unknown;
  error?: { message: string; code?: number };
}

const WORKER_MARKER = 'mlflowAnalysisWorker';

/** Main-thread side: one worker, started on first use and restarted if it dies. */
export class AnalysisWorker {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: WorkerResponse) => void; reject: (e: Error) => void }>();
  private readonly sentVersions = new Map<string, number>();

  constructor(
    /** The script that runs `runAnalysisWorkerIfWorker()` on load: the server bundle itself. */
    private readonly script: string,
    private readonly log: (message: string) => void,
  ) {}

  has(uri: string): boolean {
    return this.sentVersions.has(uri);
  }

  async run(document: TextDocument, method: FeatureName | 'validate', params?: unknown): Promise<unknown> {
    const answer = await this.send(document, method, params);
    if (!answer.stale) return answer.result;
    this.sentVersions.delete(document.uri);
    return (await this.send(document, method, params)).result;
  }

  /** Passes an edit of a document the worker holds on to it; called for every edit, in order. */
  changed(document: TextDocument, changes: TextDocumentContentChangeEvent[]): void {
    if (!this.worker || !this.sentVersions.has(document.uri)) return;
    this.sentVersions.set(document.uri, document.version);
    this.worker.postMessage({
      id: 0,
      uri: document.uri,
      languageId: document.languageId,
      version: document.version,
      method: 'change',
      changes,
    } satisfies WorkerRequest);
  }

  private send(document: TextDocument, method: FeatureName | 'validate', params?: unknown): Promise<WorkerResponse> {
    const worker = this.ensureWorker();
    const request: WorkerRequest = { id: this.nextId++, uri: document.uri, languageId: document.languageId, version: document.version, method, params };
    if (this.sentVersions.get(document.uri) !== document.version) {
      request.text = document.getText();
      this.sentVersions.set(document.uri, document.version);
    }
    return new Promise((resolve, reject) => {
      this.pending.set(request.id, { resolve, reject });
      worker.postMessage(request);
    });
  }

  forget(uri: string): void {
    if (!this.sentVersions.delete(uri) || !this.worker) return;
    this.worker.postMessage({ id: 0, uri, languageId: '', version: 0, method: 'forget' } satisfies WorkerRequest);
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // execArgv passes on loaders such as tsx when the server runs from source (tests).
    const worker = new Worker(this.script, { workerData: { [WORKER_MARKER]: true }, execArgv: process.execArgv });
    worker.unref();
    worker.on('message', (response: WorkerResponse) => {
      const waiter = this.pending.get(response.id);
      if (!waiter) return;
      this.pending.delete(response.id);
      if (response.error) {
        const { message, code } = response.error;
        waiter.reject(code !== undefined ? new ResponseError(code, message) : new Error(message));
      } else waiter.resolve(response);
    });
    const fail = (error: Error) => {
      this.log(`Analysis worker stopped: ${error.message}`);
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
      this.sentVersions.clear();
      if (this.worker === worker) this.worker = undefined;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    this.worker = worker;
    return worker;
  }
}

/** Worker side: answers requests until the main thread terminates it. */
function serveRequests(port: MessagePort): void {
  const documents = new Map<string, ChunkedTextDocument>();
  const analyses = new AnalysisCache();
  // Other open buffers live on the main thread; for large documents neighbouring files come from disk.
  const noOpenBuffers = { all: () => [] };
  port.on('message', async (request: WorkerRequest) => {
    if (request.method === 'forget') {
      documents.delete(request.uri);
      analyses.forget(request.uri);
      return;
    }
    if (request.method === 'change') {
      const document = documents.get(request.uri);
      if (document) documents.set(request.uri, ChunkedTextDocument.update(document, request.changes ?? [], request.version));
      return;
    }
    try {
      if (request.text !== undefined) documents.set(request.uri, ChunkedTextDocument.create(request.uri, request.languageId, request.version, request.text));
      const open = documents.get(request.uri);
      if (open?.version !== request.version) return port.postMessage({ id: request.id, stale: true } satisfies WorkerResponse);
      const guarded = open && guardDeepNesting(open);
      const analyzed = analyses.get(guarded?.document);
      let result: unknown = null;
      if (analyzed && request.method === 'validate') {
        result = [...(guarded?.findings ?? []), ...(await findingsOf(analyzed, projectFilesFor(request.uri, noOpenBuffers)))] satisfies Finding[];
      } else if (analyzed) {
        const handler = FEATURES[request.method as FeatureName] as FeatureHandler<FeatureName>;
        result = await handler(analyzed, request.params as FeatureParams<FeatureName>, projectFilesFor(request.uri, noOpenBuffers));
      }
      port.postMessage({ id: request.id, result: result ?? null } satisfies WorkerResponse);
    } catch (error) {
      const message = errorMessage(error);
      port.postMessage({ id: request.id, error: { message, code: error instanceof ResponseError ? error.code : undefined } } satisfies WorkerResponse);
    }
  });
}

/** True (and serving) when this module was loaded as the analysis worker. */
export function runAnalysisWorkerIfWorker(): boolean {
  if (isMainThread || !parentPort || !(workerData as Record<string, unknown> | null)?.[WORKER_MARKER]) return false;
  serveRequests(parentPort);
  return true;
}
