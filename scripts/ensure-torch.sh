#!/usr/bin/env bash
# Makes sure /usr/bin/python3 can `import torch` (Debian's python3-torch, CPU only), for the test that runs
# generated PyTorch code. Idempotent and quiet: does nothing when torch is already importable.
set -euo pipefail
PY=/usr/bin/python3
if [ -x "$PY" ] && "$PY" -c 'import torch, numpy' >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "ensure-torch: python3-torch is missing and this user cannot run apt-get (run as root or install python3-torch)" >&2
    exit 1
  fi
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
echo "ensure-torch: installing python3-torch and python3-numpy with apt-get (once)..." >&2
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends python3 python3-torch python3-numpy >/dev/null
if ! "$PY" -c 'import torch, numpy' >/dev/null 2>&1; then
  echo "ensure-torch: python3-torch was installed but '$PY -c \"import torch\"' still fails" >&2
  exit 1
fi
