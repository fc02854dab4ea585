"""What the PyTorch peers share: the level embedding, the schedule from `rld schedule --json`, and the timing."""
import json
import math
import statistics
import time

import torch


def sinusoidal(levels, dimensions):
    """The sinusoidal level embedding of RLDistributed's networks."""
    half = dimensions // 2
    k = torch.arange(half, dtype=torch.float32)
    frequencies = torch.exp(k * (-math.log(10_000.0) / (half - 1)))
    angles = levels.float().unsqueeze(1) * frequencies.unsqueeze(0)
    return torch.cat([torch.sin(angles), torch.cos(angles)], dim=1)


def load_schedule(path, b2):
    """Per-level tensors (index t = 0..T) and the Langevin tether coefficient 0.5·b²·σ̄_t/σ̄_0."""
    with open(path) as f:
        rows = json.load(f)
    column = lambda key: torch.tensor([r[key] or 0.0 for r in rows], dtype=torch.float32)
    schedule = {key: column(key) for key in ("a", "sigma", "alphaBar", "sigmaBar", "stepSize", "weight")}
    schedule["tether"] = 0.5 * b2 * schedule["sigmaBar"] / schedule["sigmaBar"][0]
    schedule["levels"] = len(rows) - 1
    return schedule


def use_device(device):
    """Makes `device` where every tensor and module of the peer is created (GPU work is queued, so timing waits for it)."""
    if device == "cpu":
        return
    if not hasattr(torch, "set_default_device"):
        raise SystemExit(f"--device {device} needs PyTorch 2.0 or later (this is {torch.__version__})")
    torch.set_default_device(device)


def time_and_report(iteration, preset, batch, warmup, repeats, device="cpu"):
    """Runs warm-up iterations, then times `repeats` and prints the one JSON line the harness reads."""
    # CUDA kernels run asynchronously: an iteration ends when the device has finished its work.
    finish = torch.cuda.synchronize if device.startswith("cuda") else (lambda: None)
    for _ in range(warmup):
        iteration()
    finish()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        iteration()
        finish()
        times.append((time.perf_counter() - start) * 1000)
    print(json.dumps({
        "peer": "pytorch", "torch": torch.__version__, "device": device, "preset": preset, "batch": batch, "threads": torch.get_num_threads(),
        "iterations": repeats, "medianMs": statistics.median(times), "minMs": min(times), "maxMs": max(times),
    }))
