// The contract between the MLflow language server and its clients (the VS Code extension, and the
// commands its code lenses invoke). Imported by both sides; no `vscode` import.

/** Options a client may pass as `initializationOptions` in the LSP `initialize` request. */
export interface LanguageServerInitializationOptions {
  /**
   * Milliseconds to wait after the last edit of a document before validating it again (default
   * DEFAULT_VALIDATION_DELAY_MS). Opening a document is always validated at once. The benchmarks pass 0
   * so that didChange → publishDiagnostics measures the server's work, not the debounce.
   */
  validationDelayMs?: number;
}

export const DEFAULT_VALIDATION_DELAY_MS = 200;

/** Command of the "Run" / "Run with parameters…" code lenses above each MLproject entry point. */
export const RUN_ENTRY_POINT_COMMAND = 'mlflow.runEntryPoint';
/** Command of the "Serve model" code lens above an MLmodel. */
export const SERVE_MODEL_COMMAND = 'mlflow.serveModel';

/** The single argument of RUN_ENTRY_POINT_COMMAND. */
export interface RunEntryPointArgs {
  /** URI string of the MLproject document; the project folder is its folder. */
  uri: string;
  entryPoint: string;
  /** True for "Run with parameters…": ask for parameter values before running. */
  askParameters: boolean;
}

/** The single argument of SERVE_MODEL_COMMAND; the model folder is the MLmodel's folder. */
export interface ServeModelArgs {
  uri: string;
}
