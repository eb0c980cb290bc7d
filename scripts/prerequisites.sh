#!/usr/bin/env bash
# Sourced by scripts/test.sh, scripts/demo.sh and .ci/run: brings a fresh Debian
# machine (Node 20+, root) to the point where the extension builds and its suites
# run. Installs only what is missing; prints what it does on stderr.

prereq_log() { echo "[prerequisites] $*" >&2; }

# Debian packages: chromium for the UI tests, the rest to build code-server's
# native modules (node-gyp needs python3, make, g++; kerberos needs libkrb5-dev).
PREREQ_APT_PACKAGES=(chromium libkrb5-dev python3 make g++ pkg-config ca-certificates postgresql mariadb-server)
# Real shells for the quoting tests (test/shell): each hostile value goes through each of them.
PREREQ_APT_PACKAGES+=(zsh fish dash)

ensure_apt_packages() {
  local missing=()
  for pkg in "${PREREQ_APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
      prereq_log "missing Debian packages: ${missing[*]} (run as root, or install them)"; return 1
    fi
  fi
  prereq_log "installing Debian packages: ${missing[*]}"
  "${sudo[@]}" apt-get update >&2 || return 1
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}" >&2
}

ensure_node() {
  command -v node >/dev/null 2>&1 || { prereq_log "Node.js 20 or newer is needed (node not found)"; return 1; }
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$major" -ge 20 ] || { prereq_log "Node.js 20 or newer is needed (found $(node --version))"; return 1; }
}

# npm ci when node_modules is missing or older than package-lock.json
# (npm records what it installed in node_modules/.package-lock.json).
ensure_node_modules() {
  local installed=node_modules/.package-lock.json
  if [ -f "$installed" ] && [ ! package-lock.json -nt "$installed" ]; then
    return 0
  fi
  prereq_log "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund >&2
}

ensure_prerequisites() {
  ensure_node && ensure_apt_packages && ensure_node_modules
}
