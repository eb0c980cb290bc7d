#!/bin/bash
# Chromium for the tests and benchmarks, its repeated --disable-features and --enable-features switches merged into
# one each. Chromium reads only the last of a repeated switch: Playwright passes a list of features to disable, and
# ours (test/harness/workbench.ts) after it would silently drop Playwright's. Every other argument is passed as it is,
# and `exec` keeps the process (its pid, and the pipes Playwright talks to it through).
set -euo pipefail
chromium="${MLFLOW_TEST_CHROMIUM:-/usr/bin/chromium}"
disable=()
enable=()
args=()
for arg in "$@"; do
  case "$arg" in
    --disable-features=*) disable+=("${arg#--disable-features=}") ;;
    --enable-features=*) enable+=("${arg#--enable-features=}") ;;
    *) args+=("$arg") ;;
  esac
done
IFS=,
if ((${#disable[@]})); then args+=("--disable-features=${disable[*]}"); fi
if ((${#enable[@]})); then args+=("--enable-features=${enable[*]}"); fi
exec "$chromium" "${args[@]}"
