#!/usr/bin/env bash
# `npm run demo`: installs what is missing, builds and packages the extension,
# then serves the real VS Code (code-server) with the extension installed and
# the demo/ workspace open, and prints the URL to open. Ctrl-C stops it.
# DEMO_PORT=<port> picks the port (default: a free one); it listens on 127.0.0.1.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/prerequisites.sh
source scripts/prerequisites.sh
ensure_prerequisites
bash scripts/install-code-server.sh >/dev/null
npm run --silent package
exec node scripts/demo.mjs
