#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3, the newest that runs on Node 20) into .tools/code-server,
# offline except for the npm registry, with the remedies for its three install-time downloads:
#   1. @vscode/ripgrep downloads rg from GitHub: a tarball of Debian's rg in its cache folder satisfies it;
#   2. node-pty runs `npx node-gyp`: npm_config_yes=true lets it run;
#   3. node-gyp downloads Node headers: npm_config_nodedir=/usr uses Debian's /usr/include/node.
# Idempotent: a fast no-op when the right version is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=4.100.3
DEST=.tools/code-server
BIN="$DEST/node_modules/.bin/code-server"
VSCODE_MODULES="$DEST/node_modules/code-server/lib/vscode/node_modules"
RG="$VSCODE_MODULES/@vscode/ripgrep/bin/rg"
# Installed means complete: the right version, its native modules built, and ripgrep in place (an
# interrupted install leaves the package but not these, and VS Code then half works).
complete() {
  [ -x "$BIN" ] && grep -q "\"version\": \"$VERSION\"" "$DEST/node_modules/code-server/package.json" 2>/dev/null &&
    [ -f "$VSCODE_MODULES/@vscode/spdlog/build/Release/spdlog.node" ] &&
    [ -f "$VSCODE_MODULES/node-pty/build/Release/pty.node" ] &&
    [ -x "$RG" ]
}
if complete; then exit 0; fi
if [ -d "$DEST/node_modules" ]; then
  echo "code-server in $DEST is incomplete (an interrupted install?): installing it again"
  rm -rf "$DEST/node_modules" "$DEST/package-lock.json"
fi

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
need=()
command -v rg >/dev/null || need+=(ripgrep)
command -v g++ >/dev/null || need+=(build-essential)
[ -f /usr/include/krb5.h ] || [ -f /usr/include/krb5/krb5.h ] || need+=(libkrb5-dev)
[ -f /usr/include/node/node.h ] || need+=(libnode-dev)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} for code-server's native modules..."
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Remedy 1: pre-seed @vscode/ripgrep's download cache with Debian's rg.
TMP="${TMPDIR:-/tmp}"
for RG_VERSION in v13.0.0-10 v13.0.0-13; do
  CACHE="$TMP/vscode-ripgrep-cache-1.15.11"
  for dir in "$TMP"/vscode-ripgrep-cache-*; do [ -d "$dir" ] && CACHE="$dir"; done
  mkdir -p "$TMP/vscode-ripgrep-cache-1.15.9" "$TMP/vscode-ripgrep-cache-1.15.10" "$TMP/vscode-ripgrep-cache-1.15.11" "$TMP/vscode-ripgrep-cache-1.15.13" "$TMP/vscode-ripgrep-cache-1.15.14"
  STAGE=$(mktemp -d)
  mkdir -p "$STAGE/bin"
  cp "$(command -v rg)" "$STAGE/bin/rg"
  for c in "$TMP"/vscode-ripgrep-cache-*; do
    tar -czf "$c/ripgrep-$RG_VERSION-x86_64-unknown-linux-musl.tar.gz" -C "$STAGE/bin" rg
  done
  rm -rf "$STAGE"
done

mkdir -p "$DEST"
[ -f "$DEST/package.json" ] || echo '{ "name": "nnb-tools-code-server", "private": true }' > "$DEST/package.json"
echo "installing code-server@$VERSION into $DEST (about a minute)..."
# npm sometimes runs argon2's build before node-addon-api is in place ("Cannot find module
# 'node-addon-api'"); a second attempt, from a clean folder, has always gone through.
for attempt in 1 2 3; do
  if (cd "$DEST" && npm_config_yes=true npm_config_nodedir=/usr npm install --no-audit --no-fund --loglevel=error --unsafe-perm "code-server@$VERSION"); then break; fi
  if [ "$attempt" = 3 ]; then echo "code-server did not install (see npm's errors above)" >&2; exit 1; fi
  echo "code-server's install failed (attempt $attempt); trying again from a clean folder..."
  rm -rf "$DEST/node_modules" "$DEST/package-lock.json"
done
# @vscode/ripgrep's postinstall may still leave bin/ empty (its download is only skipped via the cache):
# Debian's rg is the same program.
if [ ! -x "$RG" ]; then
  mkdir -p "$(dirname "$RG")"
  cp "$(command -v rg)" "$RG"
fi
if ! complete; then
  echo "code-server's install did not build its native modules (spdlog, node-pty): see the npm output above" >&2
  exit 1
fi
echo "code-server $VERSION installed in $DEST"
