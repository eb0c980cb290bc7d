// Mocha's spec reporter, plus one stats line for scripts/test.sh's total
// (appended to the file named by MLFLOW_TEST_STATS; suite name from MLFLOW_TEST_SUITE).
'use strict';
const { appendFileSync } = require('node:fs');
const Mocha = require('mocha');

class SpecWithStats extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.MLFLOW_TEST_STATS;
      if (!file) return;
      const { passes, failures, pending } = this.stats;
      const suite = process.env.MLFLOW_TEST_SUITE ?? 'mocha';
      appendFileSync(file, `${JSON.stringify({ suite, passed: passes, failed: failures, pending })}\n`);
    });
  }
}

module.exports = SpecWithStats;
