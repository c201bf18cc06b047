#!/usr/bin/env bash
# Builds the Go peers of the benchmarks into ~/.cache/kubedog-bench/bin (never
# into the repository), once: stern v1.33.0 and the Go kubedog v0.13.0 from the
# Go module proxy (its newer pseudo-versions panic on every track: PEERS.md).
set -euo pipefail
bin="$HOME/.cache/kubedog-bench/bin"
mkdir -p "$bin"
if [ ! -x "$bin/stern" ]; then
  echo "building stern v1.33.0 into $bin (first time only)" >&2
  GOBIN="$bin" go install github.com/stern/stern@v1.33.0
fi
if [ ! -x "$bin/kubedog-go" ]; then
  echo "building the Go kubedog v0.13.0 into $bin/kubedog-go (first time only)" >&2
  tmp=$(mktemp -d)
  GOBIN="$tmp" go install github.com/werf/kubedog/cmd/kubedog@v0.13.0
  mv "$tmp/kubedog" "$bin/kubedog-go" && rm -rf "$tmp"
fi
# kubedog as it was before the tracker-core redesign (the last commit with the
# single-generator tracker), built from this repository's history with this
# checkout's node_modules: bench/big-deployment.ts runs it next to the current one.
before=dede505
dir="$HOME/.cache/kubedog-bench/kubedog-$before"
if [ ! -f "$dir/dist/cli/main.js" ] && git cat-file -e "$before^{commit}" 2>/dev/null; then
  echo "building kubedog $before (before the tracker-core redesign) into $dir (first time only)" >&2
  rm -rf "$dir" && mkdir -p "$dir"
  git archive "$before" | tar -x -C "$dir"
  ln -s "$PWD/node_modules" "$dir/node_modules"
  (cd "$dir" && node node_modules/typescript/bin/tsc -p tsconfig.build.json)
fi
# The current kubectl, built with the real tier's control plane (e2e/build.sh, the newest
# Kubernetes it pins) and linked here, where every benchmark looks for its peers first.
ln -sf "$(bash e2e/build.sh)/kubectl" "$bin/kubectl"
