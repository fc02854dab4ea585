#!/usr/bin/env python3
"""One DRL training iteration of an image preset in PyTorch, for a side-by-side timing with `rld bench step`.

The same network as RLDistributed's image energy (drl-spec.md): a sinusoidal level embedding through two
spectrally normalised dense layers, a spectrally normalised 3×3 input convolution, residual blocks (leaky ReLU
0.2, SN conv, SN projection of the embedding, SN conv with a shrink-only norm and a learned per-channel scale,
SN 1×1... shortcut where channels change), a 2×2 average pool after every level but the last, and the head
relu → spatial sum → dot with a dense projection of the embedding. Spectral norm runs one power iteration on
every forward, inside the Langevin chain too, as the authors' code and ours do. The iteration: the forward
pair, K Langevin steps with input gradients only, the weighted loss, backward, Adam, EMA. Prints one JSON line.
"""
import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F

from peer_common import load_schedule, sinusoidal, time_and_report, use_device

LEAKY = 0.2


def act(x):
    return F.leaky_relu(x, LEAKY)


class SpectralNormed(nn.Module):
    """A weight W used as W/σ (or W/max(σ, 1)), σ from one power iteration per forward on a persistent u."""

    def __init__(self, shape, lower_bound=False, init_scale=1.0):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(shape))
        nn.init.xavier_uniform_(self.weight)
        with torch.no_grad():
            self.weight.mul_(init_scale)
        self.bias = nn.Parameter(torch.zeros(shape[0]))
        self.register_buffer("u", F.normalize(torch.randn(shape[0]), dim=0))
        self.lower_bound = lower_bound

    def normalized(self):
        w = self.weight.reshape(self.weight.shape[0], -1)
        with torch.no_grad():
            v = F.normalize(w.t().mv(self.u), dim=0, eps=1e-12)
            u = F.normalize(w.mv(v), dim=0, eps=1e-12)
            self.u.copy_(u)
        sigma = u.dot(w.mv(v))
        return self.weight / (sigma + 1e-12).clamp_min(1.0) if self.lower_bound else self.weight / sigma


class SNLinear(SpectralNormed):
    def __init__(self, fan_in, fan_out):
        super().__init__((fan_out, fan_in))

    def forward(self, x):
        return F.linear(x, self.normalized(), self.bias)


class SNConv(SpectralNormed):
    def __init__(self, fan_in, fan_out, kernel=3, lower_bound=False, init_scale=1.0):
        super().__init__((fan_out, fan_in, kernel, kernel), lower_bound, init_scale)
        self.padding = kernel // 2

    def forward(self, x):
        return F.conv2d(x, self.normalized(), self.bias, padding=self.padding)


class ResidualBlock(nn.Module):
    def __init__(self, fan_in, fan_out, embedding):
        super().__init__()
        self.conv1 = SNConv(fan_in, fan_out)
        self.temb_proj = SNLinear(embedding, fan_out)
        self.conv2 = SNConv(fan_out, fan_out, lower_bound=True, init_scale=1e-10)
        self.g = nn.Parameter(torch.ones(fan_out))
        self.shortcut = SNConv(fan_in, fan_out) if fan_in != fan_out else None

    def forward(self, x, temb):
        h = self.conv1(act(x)) + self.temb_proj(act(temb))[:, :, None, None]
        h = self.conv2(act(h)) * self.g.view(1, -1, 1, 1)
        return (x if self.shortcut is None else self.shortcut(x)) + h


class ImageEnergy(nn.Module):
    def __init__(self, channels, multipliers, blocks, image_channels):
        super().__init__()
        self.channels = channels
        width = 4 * channels
        self.temb_dense0 = SNLinear(channels, width)
        self.temb_dense1 = SNLinear(width, width)
        self.conv_in = SNConv(image_channels, channels)
        self.blocks = nn.ModuleList()
        self.pool_after = set()
        current = channels
        for level, multiplier in enumerate(multipliers):
            for _ in range(blocks):
                self.blocks.append(ResidualBlock(current, channels * multiplier, width))
                current = channels * multiplier
            if level < len(multipliers) - 1:
                self.pool_after.add(len(self.blocks) - 1)
        self.head = nn.Linear(width, current)

    def forward(self, y, levels):
        temb = self.temb_dense1(act(self.temb_dense0(sinusoidal(levels, self.channels))))
        h = self.conv_in(y)
        for i, block in enumerate(self.blocks):
            h = block(h, temb)
            if i in self.pool_after:
                h = F.avg_pool2d(h, 2, 2)
        return (F.relu(h).sum((2, 3)) * self.head(act(temb))).sum(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schedule", required=True, help="JSON from `rld schedule --levels T --json`")
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--langevin", type=int, default=30)
    parser.add_argument("--channels", type=int, default=32)
    parser.add_argument("--multipliers", type=int, nargs="+", default=[1, 2, 2])
    parser.add_argument("--blocks", type=int, default=1)
    parser.add_argument("--image-channels", type=int, default=1)
    parser.add_argument("--size", type=int, default=32)
    parser.add_argument("--b2", type=float, default=2e-4)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--device", default="cpu", help="cpu or cuda[:index] (a GPU needs PyTorch 2.0 or later)")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    use_device(args.device)
    schedule = load_schedule(args.schedule, args.b2)
    levels_count = schedule["levels"]
    a, sigma, alpha_bar, sigma_bar = schedule["a"], schedule["sigma"], schedule["alphaBar"], schedule["sigmaBar"]
    step_size, weight, tether_coefficient = schedule["stepSize"], schedule["weight"], schedule["tether"]

    torch.manual_seed(1)
    energy = ImageEnergy(args.channels, args.multipliers, args.blocks, args.image_channels)
    ema = ImageEnergy(args.channels, args.multipliers, args.blocks, args.image_channels)
    ema.load_state_dict(energy.state_dict())
    optimizer = torch.optim.Adam(energy.parameters(), lr=1e-4, betas=(0.9, 0.999), eps=1e-7)
    shape = (args.batch, args.image_channels, args.size, args.size)
    view = lambda v: v.view(-1, 1, 1, 1)

    def iteration():
        x0 = torch.rand(shape) * 2 - 1
        t = torch.randint(0, levels_count, (args.batch,))
        xt = view(alpha_bar[t]) * x0 + view(sigma_bar[t]) * torch.randn(shape)
        x_next = view(a[t + 1]) * xt + view(sigma[t + 1]) * torch.randn(shape)
        s, tether, anchor, y = view(step_size[t]), view(tether_coefficient[t]), x_next, x_next.clone()
        for _ in range(args.langevin):
            y.requires_grad_(True)
            (gradient,) = torch.autograd.grad(energy(y, t).sum(), y)
            y = (y + 0.5 * gradient - tether * (y - anchor) + s * torch.randn(shape)).detach()
        positive = view(a[t + 1]) * xt
        loss = (weight[t] * (energy(y, t) - energy(positive, t))).sum() / args.batch
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            for shadow, live in zip(ema.state_dict().values(), energy.state_dict().values()):
                if shadow.is_floating_point():
                    shadow.lerp_(live, 0.001)

    time_and_report(iteration, "image", args.batch, args.warmup, args.repeats, args.device)

if __name__ == "__main__":
    main()
