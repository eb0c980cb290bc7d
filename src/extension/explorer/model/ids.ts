/**
 * Stable tree item ids: the same experiment, run, section or artifact gets the same id
 * after a refresh, so VS Code keeps it expanded and selected. Plain module.
 */

export const TreeIds = {
  store: (storeKey: string) => `store:${storeKey}`,
  experiment: (storeKey: string, experimentId: string) => `${storeKey}|exp:${experimentId}`,
  loadMore: (parentId: string) => `${parentId}|more`,
  message: (parentId: string, kind: string) => `${parentId}|msg:${kind}`,
  run: (storeKey: string, runId: string) => `${storeKey}|run:${runId}`,
  section: (runId: string, section: string) => `${runId}|${section}`,
  entry: (sectionId: string, key: string) => `${sectionId}:${key}`,
  artifact: (runItemId: string, path: string) => `${runItemId}|artifact:${path}`,
  registeredModel: (storeKey: string, name: string) => `${storeKey}|model:${name}`,
  modelVersion: (storeKey: string, name: string, version: string) => `${storeKey}|model:${name}|v:${version}`,
} as const;
