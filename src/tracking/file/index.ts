/** The MLflow file store (`mlruns`) reader. Plain module: no `vscode` import. */
export { FileTrackingStore, openFileStore, type SearchExperimentsOptions, type SearchRegistryOptions } from './store';
