#!/usr/bin/env bash
# The GPU check of rld, time-boxed: CUDA iteration times next to the PyTorch peer, CUDA training in one process and
# as a two-worker cluster, the all-reduce overlap on the GPU, then the CPU benchmarks that need a core per rank.
#
#   RLD=./bin/rld OUT=DIR [TORCH_LIB=DIR] [FASHION_MNIST=DIR] [BUDGET=SECONDS] [PYTHON=python3] bash bench/gpu-check.sh
#
# RLD is an rld built with TorchBackend=cuda, or the CPU build with TORCH_LIB naming the lib folder of a PyTorch
# CUDA install (TorchSharp's native library loads that libtorch from LD_LIBRARY_PATH; bench/RESULTS.md records
# the pair that was run). Writes OUT/log.txt, the benchmarks' JSON under OUT/res and the runs' sample pictures.
# Each step is skipped once less of BUDGET (default 900 s) is left than it needs, so the first ones always run.
# Exits 1 when a step that ran failed (the last line names them), 0 otherwise; skipped steps are listed, not failed.
set -u
: "${RLD:?set RLD to the rld executable}" "${OUT:?set OUT to an output folder}"
BUDGET=${BUDGET:-900}
PYTHON=${PYTHON:-python3}
FAILED=(); SKIPPED=()
FASHION_MNIST=${FASHION_MNIST:-/usr/share/datasets/fashion-mnist}
REPO=$(cd "$(dirname "$0")/.." && pwd)
START=$(date +%s)
mkdir -p "$OUT/res"
exec > >(tee "$OUT/log.txt") 2>&1
elapsed() { echo $(( $(date +%s) - START )); }

# step NAME NEED TIMEOUT COMMAND...: runs COMMAND under TIMEOUT unless less than NEED seconds of the budget are left.
step() {
  local name=$1 need=$2 limit=$3 left; shift 3
  left=$(( BUDGET - $(elapsed) ))
  echo; echo "=== $name (t=$(elapsed)s, ${left}s left)"
  if (( left < need )); then echo "SKIPPED: too little time left"; SKIPPED+=("$name"); return 1; fi
  (( limit > left )) && limit=$left
  timeout -k 5 "$limit" "$@"; local rc=$?
  echo "--- $name: rc=$rc at t=$(elapsed)s"
  (( rc == 0 )) || FAILED+=("$name")
  return $rc
}

echo "=== machine"; nproc; nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
if [[ -n "${TORCH_LIB:-}" ]]; then export LD_LIBRARY_PATH="$TORCH_LIB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"; fi
"$PYTHON" -c 'import torch; print("PyTorch", torch.__version__, "CUDA", torch.version.cuda, torch.cuda.is_available())'

# CIFAR-10's format with random pixels: the iteration time does not depend on the pictures.
CIFAR=$(mktemp -d); SCRATCH=$(mktemp -d); trap 'rm -rf "$CIFAR" "$SCRATCH"' EXIT
python3 - "$CIFAR" <<'PY'
import os, random, sys
random.seed(1)
for name in [f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]:
    with open(os.path.join(sys.argv[1], name), "wb") as f:
        for _ in range(600): f.write(bytes([random.randrange(10)]) + os.urandom(3072))
PY
"$RLD" schedule --levels 6 --json > "$SCRATCH/schedule.json"
PEER="$REPO/bench/peers/drl_image_step.py"
CIFAR_NET=(--channels 128 --multipliers 1 2 2 2 --blocks 8 --image-channels 3)

step "toy2d iteration, cuda" 30 60 "$RLD" bench step --device cuda --preset toy2d --warmup 10 --repeats 20
step "fashion-mnist iteration, cuda, batch 64" 30 90 "$RLD" bench step --device cuda --preset fashion-mnist --data "$FASHION_MNIST" --batch 64 --warmup 5 --repeats 10 --json
step "fashion-mnist PyTorch peer, cuda, batch 64" 30 90 "$PYTHON" "$PEER" --device cuda --schedule "$SCRATCH/schedule.json" --batch 64 --warmup 5 --repeats 10
step "cifar10 iteration, cuda, batch 64" 40 120 "$RLD" bench step --device cuda --preset cifar10 --data "$CIFAR" --batch 64 --warmup 3 --repeats 6 --json
step "cifar10 PyTorch peer, cuda, batch 64" 40 120 "$PYTHON" "$PEER" --device cuda --schedule "$SCRATCH/schedule.json" --batch 64 --warmup 3 --repeats 6 "${CIFAR_NET[@]}"
step "fashion-mnist training, cuda, one process" 40 90 "$RLD" train --preset fashion-mnist --data "$FASHION_MNIST" --device cuda --steps 300 --out "$SCRATCH/one" --checkpoint-every 150
tail -n 1 "$SCRATCH/one/metrics.jsonl" 2>/dev/null; cp "$SCRATCH/one/samples.png" "$OUT/one-process-samples.png" 2>/dev/null
step "fashion-mnist training, cuda, two workers" 50 120 "$RLD" train --preset fashion-mnist --data "$FASHION_MNIST" --workers 2 --device cuda --steps 150 --out "$SCRATCH/two" --checkpoint-every 100
grep -s -i -E "error|exception" "$SCRATCH/two/cluster.log" | head -20; cp "$SCRATCH/two/samples.png" "$OUT/two-workers-samples.png" 2>/dev/null
step "all-reduce overlap, cifar10, cuda" 60 150 "$RLD" bench overlap --device cuda --presets cifar10 --data "$CIFAR" --batch 32 --steps 10 --bucket-kib 25600 --out "$OUT/res"
step "all-reduce busbw, tcp, a core per rank" 60 110 "$RLD" bench allreduce --transports tcp --repeats 5 --out "$OUT/res"
step "distributed overhead, toy2d, a core per rank" 60 150 "$RLD" bench distributed --rounds 3 --steps 100 --out "$OUT/res"
echo; echo "=== done at t=$(elapsed)s"
(( ${#SKIPPED[@]} == 0 )) || echo "skipped: $(IFS=';'; echo "${SKIPPED[*]}")"
if (( ${#FAILED[@]} > 0 )); then echo "failed: $(IFS=';'; echo "${FAILED[*]}")"; exit 1; fi
echo "every step that ran passed"
