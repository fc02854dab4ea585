using RLDistributed.Core.Energy;
using TorchSharp;

namespace RLDistributed.Core.Tests.Energy;

/// <summary>One CIFAR-10-sized network (34.8M parameters) shared by the tests that need it, since it is big.</summary>
public sealed class Cifar10NetworkFixture : IDisposable
{
    /// <summary>The network, seeded for reproducibility.</summary>
    public ImageEnergyNetwork Network { get; } = new(ImageEnergyNetworkOptions.Cifar10(), new torch.Generator(2021));

    /// <inheritdoc />
    public void Dispose() => Network.Dispose();
}
