using RLDistributed.Core.Energy;
using TorchSharp;
using static TorchSharp.torch;

namespace RLDistributed.Core.Tests.Energy;

/// <summary>The CIFAR-10 configuration of drl-spec.md §4 at full size.</summary>
public sealed class ImageEnergyNetworkCifar10Tests(Cifar10NetworkFixture fixture) : IClassFixture<Cifar10NetworkFixture>
{
    private const long SpecParameterCount = 34_833_408;

    [Fact]
    public void ParameterCount_Cifar10_MatchesSpec()
    {
        var count = fixture.Network.ParameterCount();

        Assert.InRange(count, (long)(0.99 * 34.8e6), (long)(1.01 * 34.8e6));
        Assert.Equal(SpecParameterCount, count);
    }

    [Fact]
    public void Buffers_Cifar10_HoldOneUPerSpectralLayerAndAreNotParameters()
    {
        var net = fixture.Network;
        var uNames = net.named_buffers().Select(b => b.name).Where(n => n.EndsWith(".u", StringComparison.Ordinal)).ToList();

        // 2 temb denses + conv_in + per block (conv1, temb_proj, conv2) + 3 shortcuts (128→256 once, at level 1).
        Assert.Equal(2 + 1 + 32 * 3 + 1, uNames.Count);
        Assert.DoesNotContain(net.named_parameters(), p => p.name.EndsWith(".u", StringComparison.Ordinal));
    }

    [Fact]
    public void Forward_Cifar10PerExampleLevels_ReturnsFiniteEnergies()
    {
        using var scope = NewDisposeScope();
        var y = randn(2, 3, 32, 32, generator: new Generator(1));
        var t = tensor(new long[] { 0, 5 });

        using (no_grad())
        {
            var energy = fixture.Network.forward(y, t);

            Assert.Equal([2L], energy.shape);
            Assert.True(energy.isfinite().all().item<bool>());
        }
    }
}
