#!/usr/bin/env bash
# Makes sure Fashion-MNIST is where Debian's dataset-fashion-mnist package puts it
# (/usr/share/datasets/fashion-mnist), for the tests that read the real images. Idempotent and quiet: does
# nothing when the four files are there.
set -euo pipefail
DIR=/usr/share/datasets/fashion-mnist
FILES=(train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz)
present() {
  for f in "${FILES[@]}"; do [ -f "$DIR/$f" ] || return 1; done
}
if present; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "ensure-fashion-mnist: dataset-fashion-mnist is missing and this user cannot run apt-get (run as root or install dataset-fashion-mnist)" >&2
    exit 1
  fi
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
echo "ensure-fashion-mnist: installing dataset-fashion-mnist with apt-get (once, about 30 MB)..." >&2
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends dataset-fashion-mnist >/dev/null
if ! present; then
  echo "ensure-fashion-mnist: dataset-fashion-mnist was installed but $DIR does not hold ${FILES[*]}" >&2
  exit 1
fi
