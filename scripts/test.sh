#!/usr/bin/env bash
# `npm test`: everything, on a fresh Debian machine with Node 20+ and root.
# Installs what is missing, builds, typechecks, lints, then runs the unit and protocol
# tests (mocha), the extension-host suite (test/vscode) and the UI suite
# (test/e2e) in code-server + Chromium. Exits non-zero if anything fails; a
# server or browser that cannot start counts as a failure. Ends with one line:
# "<N> passed, <N> failed".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/prerequisites.sh
source scripts/prerequisites.sh

# Screenshots and logs of an earlier run would mislead.
rm -rf test-results/screenshots test-results/logs
mkdir -p test-results
export MLFLOW_TEST_STATS="$PWD/test-results/stats.jsonl"
# Inherited by every process the suites start; scripts/check-leftovers.mjs looks for it at the end.
export MLFLOW_TEST_RUN_ID="npm-test-$$-$(date +%s)"
: > "$MLFLOW_TEST_STATS"
timings=()
broken=()   # steps that failed outside the test counts (build, typecheck, ...)

step() { # step <name> <command...>: runs it, records its time and failure
  local name="$1"; shift
  echo
  echo "=== $name"
  local started=$SECONDS
  "$@"
  local status=$?
  timings+=("$(printf '%-12s %4ss%s' "$name" $((SECONDS - started)) "$([ $status -eq 0 ] || echo '  FAILED')")")
  [ $status -eq 0 ] || broken+=("$name")
  return $status
}

suite() { # suite <name> <command...>: a test suite, whose failures its stats line already counts
  local name="$1"; shift
  echo
  echo "=== $name"
  local started=$SECONDS before
  before="$(wc -l <"$MLFLOW_TEST_STATS")"
  MLFLOW_TEST_SUITE="$name" "$@"
  local status=$?
  timings+=("$(printf '%-12s %4ss%s' "$name" $((SECONDS - started)) "$([ $status -eq 0 ] || echo '  FAILED')")")
  # A suite that failed without reporting (crashed, found no tests) still counts as a failure.
  if [ $status -ne 0 ] && [ "$(wc -l <"$MLFLOW_TEST_STATS")" -eq "$before" ]; then broken+=("$name"); fi
  return $status
}

summary() {
  echo
  echo "=== summary"
  printf '%s\n' "${timings[@]}"
  node -e '
    const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map(JSON.parse);
    for (const s of lines) console.log(`${s.suite.padEnd(12)} ${s.passed} passed, ${s.failed} failed${s.pending ? `, ${s.pending} pending` : ""}`);
  ' "$MLFLOW_TEST_STATS"
  local totals passed failed
  totals="$(node -e '
    const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map(JSON.parse);
    console.log(lines.reduce((a, s) => a + s.passed, 0), lines.reduce((a, s) => a + s.failed, 0));
  ' "$MLFLOW_TEST_STATS")"
  read -r passed failed <<<"$totals"
  [ ${#broken[@]} -eq 0 ] || echo "failed steps: ${broken[*]}"
  failed=$((failed + ${#broken[@]}))
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

# Setup steps: without them nothing below can run.
step prerequisites ensure_prerequisites || { summary; exit 1; }
step build npm run --silent build || { summary; exit 1; }
step code-server bash scripts/install-code-server.sh || { summary; exit 1; }

# Checks and suites: each runs even if an earlier one failed, so one run shows everything.
step typecheck npm run --silent typecheck
step lint npm run --silent lint
suite unit npx --no-install mocha --reporter test/harness/specReporter.cjs
if step package npm run --silent package; then
  suite vscode node scripts/run-vscode-tests.mjs
  suite e2e node scripts/run-e2e-tests.mjs
fi
step leftovers node scripts/check-leftovers.mjs
summary
