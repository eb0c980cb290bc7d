import * as esbuild from 'esbuild';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startCodeServer } from './codeServer';
import { cleanupOnExit } from './processes';
import { demoWorkspace, freshTempDir, repoRoot } from './paths';
import { launchBrowser, openWorkbench } from './workbench';

export const vscodeSuiteDir = join(repoRoot, 'test', 'vscode');
export const vscodeSuiteBundle = join(repoRoot, 'out', 'test', 'vscode', 'index.js');

/** Every `*.test.ts` under test/vscode, sorted, as paths relative to the repo root. */
export function findVscodeSpecs(dir = vscodeSuiteDir): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findVscodeSpecs(path));
    else if (entry.name.endsWith('.test.ts')) found.push(relative(repoRoot, path));
  }
  return found.sort();
}

/**
 * Bundles test/vscode/index.ts and every spec into out/test/vscode/index.js
 * (CommonJS; `vscode` and `mocha` stay external). Specs load lazily, after mocha
 * has defined `describe`/`it`.
 */
export async function buildVscodeSuite(): Promise<string> {
  const specs = findVscodeSpecs();
  const specsModule = `module.exports = [\n${specs
    .map((file) => `  { file: ${JSON.stringify(file)}, load: () => require(${JSON.stringify(join(repoRoot, file))}) },`)
    .join('\n')}\n];\n`;
  await esbuild.build({
    absWorkingDir: repoRoot,
    entryPoints: [join(vscodeSuiteDir, 'index.ts')],
    outfile: vscodeSuiteBundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    loader: { '.wasm': 'file' },
    logLevel: 'error',
    plugins: [
      {
        name: 'vscode-suite-specs',
        setup(build) {
          build.onResolve({ filter: /^vscode-suite:specs$/ }, () => ({ path: 'specs', namespace: 'vscode-suite' }));
          build.onLoad({ filter: /.*/, namespace: 'vscode-suite' }, () => ({ contents: specsModule, loader: 'js', resolveDir: repoRoot }));
        },
      },
    ],
  });
  return vscodeSuiteBundle;
}

export interface SuiteResult {
  passed: number;
  failed: number;
  pending: number;
  /** The extension host's exit code (0 when every test passed). */
  exitCode: number;
}

/**
 * Runs the bundled suite inside the extension host of a real VS Code
 * (code-server), the way @vscode/test-electron does on the desktop: the
 * extension is loaded from this folder as an extension under development.
 */
export async function runVscodeSuite(options: { timeoutMs?: number; log?: (line: string) => void } = {}): Promise<SuiteResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  if (!existsSync(join(repoRoot, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run npm run build first');
  const bundle = await buildVscodeSuite();
  const reportDir = freshTempDir('vscode-suite');
  const removeReportDir = () => rmSync(reportDir, { recursive: true, force: true });
  const forgetReportDir = cleanupOnExit(removeReportDir);
  const reportFile = join(reportDir, 'report.json');
  const server = await startCodeServer({
    workspace: demoWorkspace,
    smokeTestDriver: true,
    name: 'vscode-suite',
    env: {
      MLFLOW_VSCODE_TEST_REPORT: reportFile,
      ...(process.env.MLFLOW_VSCODE_TEST_GREP ? { MLFLOW_VSCODE_TEST_GREP: process.env.MLFLOW_VSCODE_TEST_GREP } : {}),
    },
  }).catch((error: unknown) => {
    removeReportDir();
    forgetReportDir();
    throw error;
  });
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  try {
    browser = await launchBrowser();
    const remote = `vscode-remote://127.0.0.1:${server.port}`;
    let finish: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (finish = resolve));
    const workbench = await openWorkbench(browser, server, {
      payload: [
        ['extensionDevelopmentPath', `${remote}${repoRoot}`],
        ['extensionTestsPath', `${remote}${bundle}`],
        ['skipWelcome', 'true'],
      ],
      beforeNavigate: async (page) => {
        await page.exposeFunction('codeAutomationExit', (code: number) => finish(code));
        await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
          if (process.env.MLFLOW_TEST_VERBOSE) log(`[${type}] ${args.map(String).join(' ')}`);
        });
      },
    });
    const timeoutMs = options.timeoutMs ?? 10 * 60_000;
    let timer: NodeJS.Timeout | undefined;
    const exitCode = await Promise.race([
      exited,
      new Promise<number>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the extension host did not finish the suite within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
    if (exitCode !== 0) await workbench.screenshot('vscode-suite-failed').catch(() => undefined);

    if (!existsSync(reportFile)) {
      throw new Error(`the extension host exited with code ${exitCode} before the suite reported (see ${server.logFile})`);
    }
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { passed: number; failed: number; pending: number; lines: string[] };
    for (const line of report.lines) log(line);
    return { passed: report.passed, failed: report.failed, pending: report.pending, exitCode };
  } finally {
    await browser?.close().catch(() => undefined);
    await server.stop();
    removeReportDir();
    forgetReportDir();
  }
}
