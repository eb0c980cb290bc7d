/** The MLflow file store (`mlruns`) reader. Plain module: no `vscode` import. */
export { FileTrackingStore, openFileStore } from './store';
