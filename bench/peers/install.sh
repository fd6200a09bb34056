#!/usr/bin/env bash
# Installs the "peer" targets of the benchmark: wrk (load driver), nginx (plain reverse
# proxy) and the Portkey AI gateway (Node). Idempotent and quiet: one line per thing
# installed or found on stderr, then machine-readable lines on stdout:
#   WRK=/path  NGINX=/path  NODE=/path  PORTKEY=/path/to/start-server.js
#   PORTKEY_PRELOAD=/path/to/bench/peers/portkey-loopback.cjs
# Usage: eval "$(bench/peers/install.sh)"
#   then: "$NODE" --require "$PORTKEY_PRELOAD" "$PORTKEY" --port=PORT --headless
# Portkey goes into ${BENCH_CACHE:-$HOME/.cache/llm-gateway-bench}/portkey, never into the repo.
set -euo pipefail

PORTKEY_VERSION=1.15.2        # @portkey-ai/gateway, exact
HONO_NODE_SERVER_VERSION=1.12.2  # @hono/node-server, forced through npm "overrides" (see README)

CACHE="${BENCH_CACHE:-$HOME/.cache/llm-gateway-bench}"
PK_DIR="$CACHE/portkey"

say() { echo "peers: $*" >&2; }
die() { echo "peers: error: $*" >&2; exit 1; }

# ---- wrk and nginx from Debian ---------------------------------------------------------
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=(sudo -n); fi
fi

nginx_path() {
  command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true
}

apt_install() {
  local log="$CACHE/apt.log"
  mkdir -p "$CACHE"
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install $* by hand"
  if ! DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -q "$@" >"$log" 2>&1; then
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get update -q >>"$log" 2>&1 || true
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -q "$@" >>"$log" 2>&1 \
      || die "apt-get install $* failed, see $log"
  fi
}

pkgs=()
command -v wrk >/dev/null 2>&1 || pkgs+=(wrk)
[ -n "$(nginx_path)" ] || pkgs+=(nginx-light)
if [ "${#pkgs[@]}" -gt 0 ]; then
  apt_install "${pkgs[@]}"
  say "installed ${pkgs[*]} (apt)"
  # Debian's postinst may start a system nginx on port 80 where an init system runs;
  # the benchmark does not want it. Stop it only if we just installed the package.
  if [[ " ${pkgs[*]} " == *" nginx-light "* ]]; then
    if command -v systemctl >/dev/null 2>&1 && "${SUDO[@]}" systemctl is-active --quiet nginx 2>/dev/null; then
      "${SUDO[@]}" systemctl stop nginx >/dev/null 2>&1 || true
      "${SUDO[@]}" systemctl disable nginx >/dev/null 2>&1 || true
      say "stopped the system nginx service that the package started"
    elif [ -s /run/nginx.pid ] && kill -0 "$(cat /run/nginx.pid)" 2>/dev/null; then
      "${SUDO[@]}" service nginx stop >/dev/null 2>&1 \
        || "${SUDO[@]}" "$(nginx_path)" -s quit >/dev/null 2>&1 || true
      say "stopped the system nginx service that the package started"
    fi
  fi
fi
WRK="$(command -v wrk)" || die "wrk not on PATH after install"
NGINX="$(nginx_path)"
[ -n "$NGINX" ] || die "nginx not found after install"
[[ " ${pkgs[*]-} " == *" wrk "* ]] || say "found wrk at $WRK"
[[ " ${pkgs[*]-} " == *" nginx-light "* ]] || say "found nginx at $NGINX"

# ---- Portkey gateway from npm ----------------------------------------------------------
NODE="$(command -v node)" || die "node not on PATH (Node 20 expected)"
command -v npm >/dev/null 2>&1 || die "npm not on PATH"

installed_version() { # $1 = package dir
  [ -f "$1/package.json" ] || return 0
  "$NODE" -e 'try{process.stdout.write(require(process.argv[1]).version)}catch(e){}' "$1/package.json"
}

ENTRY="$PK_DIR/node_modules/@portkey-ai/gateway/build/start-server.js"
if [ "$(installed_version "$PK_DIR/node_modules/@portkey-ai/gateway")" = "$PORTKEY_VERSION" ] \
   && [ "$(installed_version "$PK_DIR/node_modules/@hono/node-server")" = "$HONO_NODE_SERVER_VERSION" ] \
   && [ -f "$ENTRY" ]; then
  say "found @portkey-ai/gateway@$PORTKEY_VERSION (@hono/node-server@$HONO_NODE_SERVER_VERSION) in $PK_DIR"
else
  mkdir -p "$PK_DIR"
  cat >"$PK_DIR/package.json" <<EOF
{
  "name": "llm-gateway-bench-portkey",
  "private": true,
  "description": "Written by bench/peers/install.sh; safe to delete",
  "dependencies": {
    "@portkey-ai/gateway": "$PORTKEY_VERSION"
  },
  "overrides": {
    "@hono/node-server": "$HONO_NODE_SERVER_VERSION"
  }
}
EOF
  rm -rf "$PK_DIR/node_modules" "$PK_DIR/package-lock.json"
  # --ignore-scripts: the package's only install hook is "postinstall: patch-package", and its
  # patches/ folder is not in the tarball, so it would do nothing; build/ ships prebuilt.
  if ! (cd "$PK_DIR" && npm install --no-audit --no-fund --omit=dev --ignore-scripts \
          --loglevel=error --no-update-notifier >"$PK_DIR/npm-install.log" 2>&1); then
    die "npm install failed, see $PK_DIR/npm-install.log"
  fi
  [ "$(installed_version "$PK_DIR/node_modules/@hono/node-server")" = "$HONO_NODE_SERVER_VERSION" ] \
    || die "@hono/node-server override not applied, see $PK_DIR/npm-install.log"
  [ -f "$ENTRY" ] || die "$ENTRY missing after install"
  say "installed @portkey-ai/gateway@$PORTKEY_VERSION (@hono/node-server@$HONO_NODE_SERVER_VERSION) into $PK_DIR"
fi

PRELOAD="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/portkey-loopback.cjs"
[ -f "$PRELOAD" ] || die "$PRELOAD missing"

# %q quotes paths with spaces so that eval works.
printf 'WRK=%q\n' "$WRK"
printf 'NGINX=%q\n' "$NGINX"
printf 'NODE=%q\n' "$NODE"
printf 'PORTKEY=%q\n' "$ENTRY"
printf 'PORTKEY_PRELOAD=%q\n' "$PRELOAD"
