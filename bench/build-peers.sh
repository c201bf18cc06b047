#!/usr/bin/env bash
# Builds the Go peers of the benchmarks into ~/.cache/kubedog-bench/bin (never
# into the repository), once: stern v1.33.0 from the Go module proxy.
set -euo pipefail
bin="$HOME/.cache/kubedog-bench/bin"
mkdir -p "$bin"
if [ ! -x "$bin/stern" ]; then
  echo "building stern v1.33.0 into $bin (first time only)" >&2
  GOBIN="$bin" go install github.com/stern/stern@v1.33.0
fi
