#!/usr/bin/env bash
# Installs the system packages the tests read (real data sets, yamllint for the rendered manifests, chromium for
# the status page in a headless browser, PyTorch with OpenBLAS for the reference of the FID Inception network)
# when running as root.
# Idempotent: does nothing when everything is already there.
set -euo pipefail

packages=(dataset-fashion-mnist yamllint chromium python3-torch libopenblas0-pthread)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then exit 0; fi
if [[ $(id -u) -ne 0 ]]; then
  echo "setup: not root; tests that need ${missing[*]} will be skipped (those of the PyTorch reference fail, saying so)" >&2
  exit 0
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
