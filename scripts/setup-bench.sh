#!/usr/bin/env bash
# What `make bench` needs beyond the build: PyTorch for the side-by-side peer (bench/peers/), from Debian, with
# OpenBLAS (without it PyTorch runs on the reference BLAS, 25× slower). Installed when run as root; otherwise
# the suite says that it skipped the peer.
set -euo pipefail
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then exit 0; fi
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
  apt-get install -y -q python3-torch libopenblas0-pthread >/dev/null
else
  echo "setup-bench: PyTorch is missing (apt-get install python3-torch libopenblas0-pthread); the suite will skip the peer" >&2
fi
