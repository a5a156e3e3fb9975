#!/usr/bin/env bash
# Makes sure Fashion-MNIST is where Debian's dataset-fashion-mnist package puts it
# (/usr/share/datasets/fashion-mnist), for the tests that read the real images. Idempotent and quiet: does
# nothing when the four files are there.
set -euo pipefail
source "$(dirname "$0")/apt-install.sh"
DIR=/usr/share/datasets/fashion-mnist
FILES=(train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz)
present() {
  for f in "${FILES[@]}"; do [ -f "$DIR/$f" ] || return 1; done
}
if present; then
  exit 0
fi
apt_install ensure-fashion-mnist dataset-fashion-mnist
if ! present; then
  echo "ensure-fashion-mnist: dataset-fashion-mnist was installed but $DIR does not hold ${FILES[*]}" >&2
  exit 1
fi
