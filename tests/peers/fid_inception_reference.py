#!/usr/bin/env python3
"""The FID Inception network of pytorch-fid in plain torch.nn, with seeded random weights, as a reference for the C# one.

pytorch-fid (github.com/mseitzer/pytorch-fid, src/pytorch_fid/inception.py) runs torchvision's Inception3 with
1008 classes, no auxiliary logits, and its own blocks: average pools that do not count padding (A, C, E_1) and a
max pool in the last block (E_2). Its input is an image in [0, 1], resized to 299×299 (bilinear, align_corners
False), scaled to [-1, 1]; the features are the 2048 averages after Mixed_7c (pool3). torchvision is not needed:
the blocks are written out here with torchvision's parameter names, so that the state dict has the real file's keys.

Writes into OUT_DIR:
  weights-zip.pth, weights-legacy.pth  the same state dict in torch.save's zip format and in the legacy format
  images-grey.f32, images-rgb.f32      float32 images in [-1, 1]: [2, 1, 32, 32] and [2, 3, 32, 32]
  features-grey.f32, features-rgb.f32  float32 pool3 features [2, 2048] of those images, as pytorch-fid computes them
  views-zip.pth, views-legacy.pth      views of one storage: a 3×4 arange, its transpose and a slice at offset 2
  refused-*.pth                        files a reader must refuse: an int64 tensor, a storage declaring 1 GiB that
                                       holds 16 bytes (both formats), the weights less one tensor, with a wrong
                                       shape and an extra key
With --weights-only, only weights-legacy.pth (for tests that need a valid weights file, not the numbers).
"""
import argparse
import collections
import io
import os
import pickle
import sys
import zipfile

import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicConv2d(nn.Module):
    def __init__(self, in_channels, out_channels, **kwargs):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, bias=False, **kwargs)
        self.bn = nn.BatchNorm2d(out_channels, eps=0.001)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


def average_pool(x):
    return F.avg_pool2d(x, kernel_size=3, stride=1, padding=1, count_include_pad=False)


class InceptionA(nn.Module):
    def __init__(self, in_channels, pool_features):
        super().__init__()
        self.branch1x1 = BasicConv2d(in_channels, 64, kernel_size=1)
        self.branch5x5_1 = BasicConv2d(in_channels, 48, kernel_size=1)
        self.branch5x5_2 = BasicConv2d(48, 64, kernel_size=5, padding=2)
        self.branch3x3dbl_1 = BasicConv2d(in_channels, 64, kernel_size=1)
        self.branch3x3dbl_2 = BasicConv2d(64, 96, kernel_size=3, padding=1)
        self.branch3x3dbl_3 = BasicConv2d(96, 96, kernel_size=3, padding=1)
        self.branch_pool = BasicConv2d(in_channels, pool_features, kernel_size=1)

    def forward(self, x):
        branch5x5 = self.branch5x5_2(self.branch5x5_1(x))
        branch3x3dbl = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
        return torch.cat([self.branch1x1(x), branch5x5, branch3x3dbl, self.branch_pool(average_pool(x))], 1)


class InceptionB(nn.Module):
    def __init__(self, in_channels):
        super().__init__()
        self.branch3x3 = BasicConv2d(in_channels, 384, kernel_size=3, stride=2)
        self.branch3x3dbl_1 = BasicConv2d(in_channels, 64, kernel_size=1)
        self.branch3x3dbl_2 = BasicConv2d(64, 96, kernel_size=3, padding=1)
        self.branch3x3dbl_3 = BasicConv2d(96, 96, kernel_size=3, stride=2)

    def forward(self, x):
        branch3x3dbl = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
        return torch.cat([self.branch3x3(x), branch3x3dbl, F.max_pool2d(x, kernel_size=3, stride=2)], 1)


class InceptionC(nn.Module):
    def __init__(self, in_channels, channels_7x7):
        super().__init__()
        c7 = channels_7x7
        self.branch1x1 = BasicConv2d(in_channels, 192, kernel_size=1)
        self.branch7x7_1 = BasicConv2d(in_channels, c7, kernel_size=1)
        self.branch7x7_2 = BasicConv2d(c7, c7, kernel_size=(1, 7), padding=(0, 3))
        self.branch7x7_3 = BasicConv2d(c7, 192, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7dbl_1 = BasicConv2d(in_channels, c7, kernel_size=1)
        self.branch7x7dbl_2 = BasicConv2d(c7, c7, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7dbl_3 = BasicConv2d(c7, c7, kernel_size=(1, 7), padding=(0, 3))
        self.branch7x7dbl_4 = BasicConv2d(c7, c7, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7dbl_5 = BasicConv2d(c7, 192, kernel_size=(1, 7), padding=(0, 3))
        self.branch_pool = BasicConv2d(in_channels, 192, kernel_size=1)

    def forward(self, x):
        branch7x7 = self.branch7x7_3(self.branch7x7_2(self.branch7x7_1(x)))
        branch7x7dbl = self.branch7x7dbl_1(x)
        for layer in (self.branch7x7dbl_2, self.branch7x7dbl_3, self.branch7x7dbl_4, self.branch7x7dbl_5):
            branch7x7dbl = layer(branch7x7dbl)
        return torch.cat([self.branch1x1(x), branch7x7, branch7x7dbl, self.branch_pool(average_pool(x))], 1)


class InceptionD(nn.Module):
    def __init__(self, in_channels):
        super().__init__()
        self.branch3x3_1 = BasicConv2d(in_channels, 192, kernel_size=1)
        self.branch3x3_2 = BasicConv2d(192, 320, kernel_size=3, stride=2)
        self.branch7x7x3_1 = BasicConv2d(in_channels, 192, kernel_size=1)
        self.branch7x7x3_2 = BasicConv2d(192, 192, kernel_size=(1, 7), padding=(0, 3))
        self.branch7x7x3_3 = BasicConv2d(192, 192, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7x3_4 = BasicConv2d(192, 192, kernel_size=3, stride=2)

    def forward(self, x):
        branch3x3 = self.branch3x3_2(self.branch3x3_1(x))
        branch7x7x3 = self.branch7x7x3_4(self.branch7x7x3_3(self.branch7x7x3_2(self.branch7x7x3_1(x))))
        return torch.cat([branch3x3, branch7x7x3, F.max_pool2d(x, kernel_size=3, stride=2)], 1)


class InceptionE(nn.Module):
    """pytorch-fid's FIDInceptionE_1 (average pool, padding not counted) or FIDInceptionE_2 (max pool)."""

    def __init__(self, in_channels, max_pool):
        super().__init__()
        self.max_pool = max_pool
        self.branch1x1 = BasicConv2d(in_channels, 320, kernel_size=1)
        self.branch3x3_1 = BasicConv2d(in_channels, 384, kernel_size=1)
        self.branch3x3_2a = BasicConv2d(384, 384, kernel_size=(1, 3), padding=(0, 1))
        self.branch3x3_2b = BasicConv2d(384, 384, kernel_size=(3, 1), padding=(1, 0))
        self.branch3x3dbl_1 = BasicConv2d(in_channels, 448, kernel_size=1)
        self.branch3x3dbl_2 = BasicConv2d(448, 384, kernel_size=3, padding=1)
        self.branch3x3dbl_3a = BasicConv2d(384, 384, kernel_size=(1, 3), padding=(0, 1))
        self.branch3x3dbl_3b = BasicConv2d(384, 384, kernel_size=(3, 1), padding=(1, 0))
        self.branch_pool = BasicConv2d(in_channels, 192, kernel_size=1)

    def forward(self, x):
        branch3x3 = self.branch3x3_1(x)
        branch3x3 = torch.cat([self.branch3x3_2a(branch3x3), self.branch3x3_2b(branch3x3)], 1)
        branch3x3dbl = self.branch3x3dbl_2(self.branch3x3dbl_1(x))
        branch3x3dbl = torch.cat([self.branch3x3dbl_3a(branch3x3dbl), self.branch3x3dbl_3b(branch3x3dbl)], 1)
        pooled = F.max_pool2d(x, kernel_size=3, stride=1, padding=1) if self.max_pool else average_pool(x)
        return torch.cat([self.branch1x1(x), branch3x3, branch3x3dbl, self.branch_pool(pooled)], 1)


class FidInception(nn.Module):
    def __init__(self):
        super().__init__()
        self.Conv2d_1a_3x3 = BasicConv2d(3, 32, kernel_size=3, stride=2)
        self.Conv2d_2a_3x3 = BasicConv2d(32, 32, kernel_size=3)
        self.Conv2d_2b_3x3 = BasicConv2d(32, 64, kernel_size=3, padding=1)
        self.Conv2d_3b_1x1 = BasicConv2d(64, 80, kernel_size=1)
        self.Conv2d_4a_3x3 = BasicConv2d(80, 192, kernel_size=3)
        self.Mixed_5b = InceptionA(192, pool_features=32)
        self.Mixed_5c = InceptionA(256, pool_features=64)
        self.Mixed_5d = InceptionA(288, pool_features=64)
        self.Mixed_6a = InceptionB(288)
        self.Mixed_6b = InceptionC(768, channels_7x7=128)
        self.Mixed_6c = InceptionC(768, channels_7x7=160)
        self.Mixed_6d = InceptionC(768, channels_7x7=160)
        self.Mixed_6e = InceptionC(768, channels_7x7=192)
        self.Mixed_7a = InceptionD(768)
        self.Mixed_7b = InceptionE(1280, max_pool=False)
        self.Mixed_7c = InceptionE(2048, max_pool=True)
        self.fc = nn.Linear(2048, 1008)

    def forward(self, images):
        """pool3 features [N, 2048] of images [N, 3, H, W] in [0, 1], as pytorch-fid's InceptionV3 computes them."""
        x = F.interpolate(images, size=(299, 299), mode="bilinear", align_corners=False)
        x = 2 * x - 1
        x = self.Conv2d_2b_3x3(self.Conv2d_2a_3x3(self.Conv2d_1a_3x3(x)))
        x = F.max_pool2d(x, kernel_size=3, stride=2)
        x = self.Conv2d_4a_3x3(self.Conv2d_3b_1x1(x))
        x = F.max_pool2d(x, kernel_size=3, stride=2)
        for block in (self.Mixed_5b, self.Mixed_5c, self.Mixed_5d, self.Mixed_6a, self.Mixed_6b, self.Mixed_6c,
                      self.Mixed_6d, self.Mixed_6e, self.Mixed_7a, self.Mixed_7b, self.Mixed_7c):
            x = block(x)
        return F.adaptive_avg_pool2d(x, output_size=(1, 1)).flatten(1)


def randomise(model, generator):
    """He-scaled convolutions and batch norms with random scale, shift and running statistics, so that no layer is
    the identity and activations keep an O(1) scale through the 94 convolutions."""
    for module in model.modules():
        if isinstance(module, nn.Conv2d):
            fan_in = module.weight[0].numel()
            module.weight.copy_(torch.randn(module.weight.shape, generator=generator) * (2.0 / fan_in) ** 0.5)
        elif isinstance(module, nn.BatchNorm2d):
            channels = module.num_features
            module.weight.copy_(0.5 + torch.rand(channels, generator=generator))
            module.bias.copy_(0.2 * torch.randn(channels, generator=generator))
            module.running_mean.copy_(0.2 * torch.randn(channels, generator=generator))
            module.running_var.copy_(0.5 + torch.rand(channels, generator=generator))
            module.num_batches_tracked.fill_(1000)
        elif isinstance(module, nn.Linear):
            module.weight.copy_(0.02 * torch.randn(module.weight.shape, generator=generator))
            module.bias.copy_(0.02 * torch.randn(module.bias.shape, generator=generator))


class _Storage:
    """Stands for a storage whose persistent id declares `elements` floats, whatever the file then holds."""

    def __init__(self, elements):
        self.elements = elements


class _Tensor:
    """Pickles as torch._utils._rebuild_tensor_v2 of a 1-D view of a whole _Storage, as torch.save writes a tensor."""

    def __init__(self, storage):
        self.storage = storage

    def __reduce__(self):
        size = (self.storage.elements,)
        return torch._utils._rebuild_tensor_v2, (self.storage, 0, size, (1,), False, collections.OrderedDict())


def _pickle_with_storages(obj, legacy):
    """The object's pickle with _Storage as torch.save's persistent ids (legacy ids carry a sixth item, the view)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=2)
    pickler.persistent_id = lambda o: (("storage", torch.FloatStorage, "0", "cpu", o.elements) + ((None,) if legacy else ())
                                       if isinstance(o, _Storage) else None)
    pickler.dump(obj)
    return buffer.getvalue()


def write_oversized_storage(path_legacy, path_zip, declared, held):
    """A state dict whose one storage declares `declared` floats while the file holds only `held` bytes of it."""
    state = collections.OrderedDict(w=_Tensor(_Storage(declared)))
    data = bytes(held)
    with open(path_legacy, "wb") as f:
        for header in (torch.serialization.MAGIC_NUMBER, torch.serialization.PROTOCOL_VERSION,
                       dict(protocol_version=torch.serialization.PROTOCOL_VERSION, little_endian=sys.byteorder == "little",
                            type_sizes=dict(short=2, int=4, long=4))):
            pickle.dump(header, f, protocol=2)
        f.write(_pickle_with_storages(state, legacy=True))
        pickle.dump(["0"], f, protocol=2)
        f.write(declared.to_bytes(8, "little") + data)
    with zipfile.ZipFile(path_zip, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("oversized/data.pkl", _pickle_with_storages(state, legacy=False))
        archive.writestr("oversized/data/0", data)
        archive.writestr("oversized/version", "3\n")


def write_views(out):
    whole = torch.arange(12, dtype=torch.float32).reshape(3, 4)
    views = collections.OrderedDict(whole=whole, transposed=whole.t(), slice=whole.view(-1)[2:5])
    torch.save(views, out("views-zip.pth"))
    torch.save(views, out("views-legacy.pth"), _use_new_zipfile_serialization=False)


def write_refusals(state, out):
    torch.save({"w": torch.arange(4)}, out("refused-int64.pth"))
    write_oversized_storage(out("refused-oversized-legacy.pth"), out("refused-oversized-zip.pth"), declared=1 << 28, held=16)
    wrong = collections.OrderedDict(state)
    del wrong["Mixed_7c.branch_pool.bn.running_var"]
    wrong["fc.weight"] = torch.zeros(1000, 2048)
    wrong["AuxLogits.fc.weight"] = torch.zeros(1000, 768)
    torch.save(wrong, out("refused-wrong-keys.pth"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir")
    parser.add_argument("--weights-only", action="store_true")
    parser.add_argument("--seed", type=int, default=2015)
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    out = lambda name: os.path.join(args.out_dir, name)

    generator = torch.Generator().manual_seed(args.seed)
    model = FidInception().eval()
    with torch.no_grad():
        randomise(model, generator)
    state = model.state_dict()
    torch.save(state, out("weights-legacy.pth"), _use_new_zipfile_serialization=False)
    if args.weights_only:
        return
    torch.save(state, out("weights-zip.pth"))
    write_views(out)
    write_refusals(state, out)

    with torch.no_grad():
        for name, channels in (("grey", 1), ("rgb", 3)):
            # A flat colour and noise of another strength per image, so that the images' features differ.
            colour = torch.rand(2, channels, 1, 1, generator=generator) * 1.2 - 0.6
            strength = torch.rand(2, 1, 1, 1, generator=generator) * 0.9 + 0.1
            images = (colour + strength * (torch.rand(2, channels, 32, 32, generator=generator) * 2 - 1)).clamp(-1, 1)
            pixels = (images + 1) / 2
            features = model(pixels.repeat(1, 3 // channels, 1, 1))
            images.numpy().astype("<f4").tofile(out(f"images-{name}.f32"))
            features.numpy().astype("<f4").tofile(out(f"features-{name}.f32"))
            print(f"{name}: features mean {features.mean():.4f}, std {features.std():.4f}, max {features.max():.4f}")


if __name__ == "__main__":
    main()
