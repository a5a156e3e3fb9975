#!/usr/bin/env bash
# What the test suite needs beyond npm packages, installed when missing: a real PyTorch for the
# generated-code tests (Debian's packages), headless Chromium for the webview tests (Debian's chromium),
# Fashion-MNIST for the real-image data tests (Debian's dataset-fashion-mnist), and code-server 4.100.3
# into .tools/ for the real-VS-Code tests. apt needs root or sudo; each script handles
# that. Each step is a fast no-op when already done.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-torch.sh
bash scripts/ensure-chromium.sh
bash scripts/ensure-fashion-mnist.sh
bash scripts/install-code-server.sh
