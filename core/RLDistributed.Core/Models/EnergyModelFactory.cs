using RLDistributed.Core.Energy;
using RLDistributed.Core.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace RLDistributed.Core.Models;

/// <summary>Builds energy networks from a <see cref="ModelSpec"/> with initial weights keyed by the run seed.</summary>
public static class EnergyModelFactory
{
    /// <summary>
    /// Creates the network on <paramref name="device"/>. Weights come from torch's default generator,
    /// seeded here from the run seed, so one seed always gives the same initial network.
    /// </summary>
    public static EnergyNetwork Create(ModelSpec spec, ulong seed, Device device)
    {
        random.manual_seed(RandomKey.For(seed, RandomPurpose.Initialisation).TorchSeed);
        EnergyNetwork network = spec.Architecture switch
        {
            "mlp" => new MlpEnergyNetwork(spec.Mlp ?? throw new ArgumentException("the mlp architecture needs its options (Mlp)")),
            "resnet" => new ImageEnergyNetwork(spec.Image ?? throw new ArgumentException("the resnet architecture needs its options (Image)")),
            _ => throw new ArgumentException($"unknown architecture '{spec.Architecture}'; expected mlp or resnet"),
        };
        if (device.type != TorchSharp.DeviceType.CPU) network.to(device);
        return network;
    }
}
