#!/usr/bin/env bash
# Builds the real control plane for the end-to-end tier — kube-apiserver,
# kube-controller-manager, kube-scheduler and kubectl (k8s.io/kubernetes) and etcd
# (go.etcd.io/etcd/server/v3) — and the Helm CLI (helm.sh/helm/v3), which the
# tier runs beside kubedog, from the Go module proxy, into a cache outside
# the repository keyed by the pinned versions, so later runs reuse it:
#   ${KUBEDOG_E2E_CACHE:-~/.cache/kubedog-e2e}/k8s-<version>-etcd-<version>/bin
# KUBEDOG_K8S picks the Kubernetes minor: a directory of e2e/k8s (v1.37, the
# newest, by default; v1.34, the oldest proven), whose go.mod pins
# k8s.io/kubernetes and whose etcd/go.mod pins the etcd that minor ships with.
# Helm is pinned in e2e/helm/go.mod (built as helm-<version>, so a new pin
# builds again). Prints the bin directory (only that, building nothing, with --where).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
minor_dir="$here/k8s/${KUBEDOG_K8S:-v1.37}"
if [ ! -f "$minor_dir/go.mod" ]; then
  echo "e2e/build.sh: KUBEDOG_K8S=${KUBEDOG_K8S:-} is not a Kubernetes version of e2e/k8s (one of: $(ls "$here/k8s" | tr '\n' ' '))" >&2
  exit 64
fi
k8s_version=$(awk '$1 == "require" && $2 == "k8s.io/kubernetes" {print $3}' "$minor_dir/go.mod")
etcd_version=$(awk '$1 == "require" && $2 == "go.etcd.io/etcd/server/v3" {print $3}' "$minor_dir/etcd/go.mod")
bin="${KUBEDOG_E2E_CACHE:-$HOME/.cache/kubedog-e2e}/k8s-${k8s_version}-etcd-${etcd_version}/bin"
if [ "${1:-}" = "--where" ]; then echo "$bin"; exit 0; fi
mkdir -p "$bin"
minor=$(echo "$k8s_version" | cut -d. -f2)
version="-X k8s.io/component-base/version.gitVersion=${k8s_version} -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=${minor} -X k8s.io/component-base/version.gitTreeState=clean"
# kubectl reports its version from client-go's copy.
client_version="-X k8s.io/client-go/pkg/version.gitVersion=${k8s_version} -X k8s.io/client-go/pkg/version.gitMajor=1 -X k8s.io/client-go/pkg/version.gitMinor=${minor} -X k8s.io/client-go/pkg/version.gitTreeState=clean"
ldflags="-s -w $version $client_version"
for component in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
  if [ ! -x "$bin/$component" ]; then
    echo "building $component $k8s_version" >&2
    (cd "$minor_dir" && go build -trimpath -ldflags "$ldflags" -o "$bin/$component.tmp" "k8s.io/kubernetes/cmd/$component")
    mv "$bin/$component.tmp" "$bin/$component"
  fi
done
if [ ! -x "$bin/etcd" ]; then
  echo "building etcd $etcd_version" >&2
  (cd "$minor_dir/etcd" && go build -trimpath -ldflags "-s -w" -o "$bin/etcd.tmp" go.etcd.io/etcd/server/v3)
  mv "$bin/etcd.tmp" "$bin/etcd"
fi
helm_version=$(awk '$1 == "require" && $2 == "helm.sh/helm/v3" {print $3}' "$here/helm/go.mod")
if [ ! -x "$bin/helm-$helm_version" ]; then
  echo "building helm $helm_version" >&2
  (cd "$here/helm" && go build -trimpath -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=${helm_version}" -o "$bin/helm.tmp" helm.sh/helm/v3/cmd/helm)
  mv "$bin/helm.tmp" "$bin/helm-$helm_version"
fi
echo "$bin"
