#!/usr/bin/env python3
"""One DRL training iteration of the toy2d preset in PyTorch, for a side-by-side timing with `rld bench step`.

The same computation as RLDistributed's toy2d step: 8-Gaussian data, the MLP energy (time embedding, input
scale, residual blocks conditioned on the level, swish), T levels with per-example levels, the forward pair
(x_t, x_{t+1}), K Langevin steps on y from x_{t+1} with input gradients only, the weighted recovery loss,
backward, Adam and an EMA of the parameters. The schedule constants come from `rld schedule --json`, so both
sides use the same numbers. Prints one JSON line: {"medianMs": ..., ...}.
"""
import argparse
import math

import torch
import torch.nn as nn

from peer_common import load_schedule, sinusoidal, time_and_report


def swish(x):
    return x * torch.sigmoid(x)


class MlpEnergy(nn.Module):
    def __init__(self, hidden, blocks, embedding, input_scale):
        super().__init__()
        self.embedding = embedding
        self.input_scale = input_scale
        self.embed1 = nn.Linear(embedding, hidden)
        self.embed2 = nn.Linear(hidden, hidden)
        self.input = nn.Linear(2, hidden)
        self.first = nn.ModuleList(nn.Linear(hidden, hidden) for _ in range(blocks))
        self.condition = nn.ModuleList(nn.Linear(hidden, hidden) for _ in range(blocks))
        self.second = nn.ModuleList(nn.Linear(hidden, hidden) for _ in range(blocks))
        self.head = nn.Linear(hidden, hidden)

    def forward(self, y, levels):
        conditioning = swish(self.embed2(swish(self.embed1(sinusoidal(levels, self.embedding)))))
        h = self.input(y * self.input_scale)
        for first, condition, second in zip(self.first, self.condition, self.second):
            h = h + second(swish(first(swish(h)) + condition(conditioning)))
        return (swish(h) * self.head(conditioning)).sum(1)


def eight_gaussians(batch, generator):
    centres = torch.tensor([[math.cos(2 * math.pi * i / 8), math.sin(2 * math.pi * i / 8)] for i in range(8)]) * 0.8
    which = torch.randint(0, 8, (batch,), generator=generator)
    return centres[which] + 0.05 * torch.randn(batch, 2, generator=generator)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schedule", required=True, help="JSON from `rld schedule --levels T --json`")
    parser.add_argument("--batch", type=int, default=1024)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--langevin", type=int, default=30)
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--blocks", type=int, default=3)
    parser.add_argument("--embedding", type=int, default=32)
    parser.add_argument("--input-scale", type=float, default=8.0)
    parser.add_argument("--b2", type=float, default=5e-3, help="step size b² (tether coefficient 0.5·b²·σ̄_t/σ̄_0)")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    schedule = load_schedule(args.schedule, args.b2)
    levels_count = schedule["levels"]
    a, sigma, alpha_bar, sigma_bar = schedule["a"], schedule["sigma"], schedule["alphaBar"], schedule["sigmaBar"]
    step_size, weight, tether_coefficient = schedule["stepSize"], schedule["weight"], schedule["tether"]

    generator = torch.Generator().manual_seed(1)
    torch.manual_seed(1)
    energy = MlpEnergy(args.hidden, args.blocks, args.embedding, args.input_scale)
    ema = MlpEnergy(args.hidden, args.blocks, args.embedding, args.input_scale)
    ema.load_state_dict(energy.state_dict())
    optimizer = torch.optim.Adam(energy.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)

    def iteration():
        x0 = eight_gaussians(args.batch, generator)
        t = torch.randint(0, levels_count, (args.batch,), generator=generator)
        xt = alpha_bar[t].unsqueeze(1) * x0 + sigma_bar[t].unsqueeze(1) * torch.randn(args.batch, 2, generator=generator)
        x_next = a[t + 1].unsqueeze(1) * xt + sigma[t + 1].unsqueeze(1) * torch.randn(args.batch, 2, generator=generator)
        s = step_size[t].unsqueeze(1)
        tether = tether_coefficient[t].unsqueeze(1)
        anchor = x_next
        y = x_next.clone()
        for _ in range(args.langevin):
            y.requires_grad_(True)
            total = energy(y, t).sum()
            (gradient,) = torch.autograd.grad(total, y)
            y = (y + 0.5 * gradient - tether * (y - anchor) + s * torch.randn(args.batch, 2, generator=generator)).detach()
        positive = a[t + 1].unsqueeze(1) * xt
        loss = (weight[t] * (energy(y, t) - energy(positive, t))).sum() / args.batch
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            for shadow, live in zip(ema.parameters(), energy.parameters()):
                shadow.lerp_(live, 0.01)

    time_and_report(iteration, "toy2d", args.batch, args.warmup, args.repeats)

if __name__ == "__main__":
    main()
