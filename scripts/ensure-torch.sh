#!/usr/bin/env bash
# Makes sure /usr/bin/python3 can `import torch` (Debian's python3-torch, CPU only) for the tests that run
# generated PyTorch code, with OpenBLAS beside it: python3-torch pulls in the slow reference BLAS, and the
# bench compares against PyTorch, which must then use a real one (libopenblas0-pthread replaces it through
# Debian's alternatives). Idempotent and quiet: does nothing when both are there.
set -euo pipefail
source "$(dirname "$0")/apt-install.sh"
PY=/usr/bin/python3
have_torch() { [ -x "$PY" ] && "$PY" -c 'import torch, numpy' >/dev/null 2>&1; }
have_openblas() { ls /usr/lib/*/openblas-pthread/libblas.so.3 >/dev/null 2>&1; }
if have_torch && have_openblas; then
  exit 0
fi
apt_install ensure-torch python3 python3-torch python3-numpy libopenblas0-pthread
if ! have_torch; then
  echo "ensure-torch: python3-torch was installed but '$PY -c \"import torch\"' still fails" >&2
  exit 1
fi
