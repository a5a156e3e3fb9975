#!/usr/bin/env bash
# Headless Chromium for the browser tests: Debian's chromium and fonts-liberation, installed with apt only
# when /usr/bin/chromium is missing. Idempotent and quiet.
set -euo pipefail
source "$(dirname "$0")/apt-install.sh"
if [ -x /usr/bin/chromium ]; then exit 0; fi
apt_install ensure-chromium chromium fonts-liberation
test -x /usr/bin/chromium
