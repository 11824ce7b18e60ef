#!/usr/bin/env bash
# Build olay and run the whole test suite: unit tests, golden tests, every rule example,
# end-to-end runs. This is the README's test command and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
cd build
ctest --output-on-failure -j"$(nproc)" --timeout 600
