// Entry point VS Code loads in the extension host (`extensionTestsPath`): runs every
// test/vscode/**/*.test.ts with mocha and resolves with the number of failures.
// The spec list is generated at bundle time (test/harness/vscodeSuite.ts).
import { writeFileSync } from 'node:fs';
import Mocha from 'mocha';
import specs = require('vscode-suite:specs');

interface SuiteReport {
  passed: number;
  failed: number;
  pending: number;
  lines: string[];
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: 'base' });
  const grep = process.env.MLFLOW_VSCODE_TEST_GREP;
  if (grep) mocha.grep(grep);
  for (const spec of specs) {
    mocha.suite.emit('pre-require', globalThis, spec.file, mocha);
    mocha.suite.emit('require', spec.load(), spec.file, mocha);
    mocha.suite.emit('post-require', globalThis, spec.file, mocha);
  }

  const report: SuiteReport = { passed: 0, failed: 0, pending: 0, lines: [] };
  const say = (line: string) => {
    report.lines.push(line);
    console.log(line);
  };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      say(`vscode suite: ${report.passed} passed, ${report.failed} failed, ${report.pending} pending`);
      const reportFile = process.env.MLFLOW_VSCODE_TEST_REPORT;
      if (reportFile) writeFileSync(reportFile, JSON.stringify(report));
      if (failures > 0) reject(new Error(`${failures} test(s) failed`));
      else resolve();
    });
    const indent = (test: Mocha.Runnable) => '  '.repeat(Math.max(0, test.titlePath().length - 1));
    runner.on('suite', (suite) => {
      if (suite.title) say(`${'  '.repeat(Math.max(0, suite.titlePath().length - 1))}${suite.title}`);
    });
    runner.on('pass', (test) => {
      report.passed++;
      say(`${indent(test)}✔ ${test.title} (${test.duration ?? 0} ms)`);
    });
    runner.on('pending', (test) => {
      report.pending++;
      say(`${indent(test)}- ${test.title} (pending)`);
    });
    runner.on('fail', (test, error: Error) => {
      report.failed++;
      say(`${indent(test)}✘ ${test.title}`);
      say(
        `${indent(test)}    ${String(error?.stack ?? error)
          .split('\n')
          .join(`\n${indent(test)}    `)}`,
      );
    });
  });
}
