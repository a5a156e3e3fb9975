#!/usr/bin/env bash
# What the test suite needs beyond npm packages, installed from Debian's packages when missing:
# a real PyTorch for the generated-code tests. Each step is a fast no-op when already done.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-torch.sh
