#!/usr/bin/env bash
# Generates the test PKI of the simulated API server into fixtures/tls/, or
# into the directory given. Run once for the repository: the output is
# committed and valid for a hundred years. The published package ships no
# private key: its loadTestPki() runs this into a temporary directory.
#   ca.crt/ca.key          test CA
#   server.crt/server.key  serving certificate for 127.0.0.1, localhost, kubernetes.default.svc
#   client.crt/client.key  client certificate, CN=kubedog-test-user, O=system:masters
#   other-ca.crt           a CA that signed nothing here (for "unknown authority" tests)
set -euo pipefail
out="${1:-$(cd "$(dirname "$0")/.." && pwd)/fixtures/tls}"
mkdir -p "$out"
cd "$out"
days=36500
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

key ca.key
openssl req -x509 -new -key ca.key -sha256 -days "$days" -subj "/CN=kubedog-test-ca" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.crt

key server.key
openssl req -new -key server.key -subj "/CN=kubedog-fake-apiserver" -out "$tmp/server.csr"
cat > "$tmp/server.ext" <<EXT
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc
EXT
openssl x509 -req -in "$tmp/server.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days "$days" -sha256 \
  -extfile "$tmp/server.ext" -out server.crt 2>/dev/null

key client.key
openssl req -new -key client.key -subj "/O=system:masters/CN=kubedog-test-user" -out "$tmp/client.csr"
cat > "$tmp/client.ext" <<EXT
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth
EXT
openssl x509 -req -in "$tmp/client.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days "$days" -sha256 \
  -extfile "$tmp/client.ext" -out client.crt 2>/dev/null

key "$tmp/other-ca.key"
openssl req -x509 -new -key "$tmp/other-ca.key" -sha256 -days "$days" -subj "/CN=kubedog-other-ca" -out other-ca.crt
rm -f ca.srl
echo "wrote $(ls "$out" | tr '\n' ' ')to $out"
