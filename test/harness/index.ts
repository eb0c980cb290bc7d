// The test harness: a real VS Code (code-server) and a browser, for the
// test/vscode and test/e2e suites. See README.md in this folder.
export { locateCodeServer, startCodeServer, installVsix } from './codeServer';
export type { CodeServer, CodeServerInstall, StartCodeServerOptions } from './codeServer';
export { launchBrowser, openWorkbench, Workbench, chromiumPath } from './workbench';
export type { OpenWorkbenchOptions, TreeRow } from './workbench';
export { demoWorkspace, repoRoot, resultsDir, screenshotsDir, docsImagesDir, freshTempDir } from './paths';
export { freePort, cleanupOnExit } from './processes';
