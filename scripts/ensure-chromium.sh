#!/usr/bin/env bash
# Headless Chromium for the browser tests: Debian's chromium and fonts-liberation, installed with apt only
# when /usr/bin/chromium is missing. Idempotent and quiet.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
echo "installing Debian chromium for the browser tests (about 30 s)..."
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
test -x /usr/bin/chromium
