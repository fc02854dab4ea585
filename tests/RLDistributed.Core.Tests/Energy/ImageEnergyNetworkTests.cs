using RLDistributed.Core.Energy;
using TorchSharp;
using static TorchSharp.torch;

namespace RLDistributed.Core.Tests.Energy;

/// <summary>Behaviour of <see cref="ImageEnergyNetwork"/> on tiny CPU configurations.</summary>
public sealed class ImageEnergyNetworkTests
{
    // Two levels so that both a shortcut conv (16 → 32) and the average pool are exercised; 16 channels at least,
    // since libtorch's CPU backward of a 3×3 convolution with fewer than 16 output channels returned NaN or varying
    // gradients here (see ConvolutionBackwardTests).
    private static ImageEnergyNetworkOptions Tiny(EnergyActivation activation = EnergyActivation.LeakyRelu) => new()
    {
        Channels = 16,
        ChannelMultipliers = [1, 2],
        ResBlocksPerLevel = 1,
        ImageChannels = 2,
        ImageSize = 8,
        Activation = activation,
    };

    [Fact]
    public void ParameterCount_TwoBlocksCifarShape_MatchesArchitecture()
    {
        using var net = new ImageEnergyNetwork(new ImageEnergyNetworkOptions(), new Generator(3));

        Assert.Equal(9_056_256, net.ParameterCount()); // drl-spec.md §4: ≈ 9.1M
    }

    [Fact]
    public void ParameterCount_SmallGreyscale_MatchesHandCount()
    {
        using var net = new ImageEnergyNetwork(ImageEnergyNetworkOptions.SmallGreyscale(), new Generator(3));

        Assert.Equal(ExpectedParameterCount(32, [1, 2, 2], 1, 1), net.ParameterCount());
        Assert.Equal([1L, 32, 32], net.ExampleShape);
    }

    [Fact]
    public void Forward_SameInputDifferentLevels_GivesDifferentEnergies()
    {
        using var scope = NewDisposeScope();
        using var net = new ImageEnergyNetwork(Tiny(), new Generator(4));
        var y = randn(1, 2, 8, 8, generator: new Generator(5)).expand(2, -1, -1, -1).contiguous();

        using (no_grad())
        {
            var energy = net.forward(y, tensor(new long[] { 0, 3 }));

            Assert.NotEqual(energy[0].item<float>(), energy[1].item<float>(), 4);
        }
    }

    [Fact]
    public void Constructor_Default_InitialisesConv2NearZeroBiasesZeroScalesOne()
    {
        using var net = new ImageEnergyNetwork(Tiny(), new Generator(6));

        foreach (var block in net.Blocks)
        {
            var limit = VarianceScaling.FanAvgUniformLimit(block.Conv2.Weight.shape, ResidualBlock.ZeroInitScale);
            var maxAbs = block.Conv2.Weight.abs().max().item<float>();
            Assert.True(maxAbs <= limit && maxAbs > 0, $"conv2 max |w| = {maxAbs}, limit {limit}");
            Assert.True(limit < 1e-5);
            Assert.True(block.Scale.eq(1).all().item<bool>());
        }
        foreach (var (name, bias) in net.named_parameters().Where(p => p.name.EndsWith("bias", StringComparison.Ordinal)))
            Assert.True(bias.eq(0).all().item<bool>(), $"{name} is not zero");
        Assert.Contains(net.named_parameters(), p => p.name == "dense_final.bias");
    }

    [Theory]
    [InlineData(EnergyActivation.LeakyRelu)]
    [InlineData(EnergyActivation.Swish)]
    public void InputGradient_Float64_MatchesCentralDifference(EnergyActivation activation)
    {
        using var scope = NewDisposeScope();
        using var net = new ImageEnergyNetwork(Tiny(activation), new Generator(7));
        net.to(ScalarType.Float64);
        // Give the near-zero second convolutions real weight so the residual branches are exercised too.
        foreach (var block in net.Blocks) VarianceScaling.FanAvgUniform(block.Conv2.Weight, 1.0, new Generator(8));
        var y = randn(2, 2, 8, 8, dtype: ScalarType.Float64, generator: new Generator(9));
        var t = tensor(new long[] { 1, 4 });
        // Every forward advances u; restoring it makes F a fixed function of y (u never depends on y, and the
        // gradient treats u and v as constants), so the difference quotient is exact rather than merely close.
        var uSnapshot = net.named_buffers().ToDictionary(b => b.name, b => b.buffer.clone());
        double Energy(Tensor input)
        {
            using var inner = NewDisposeScope();
            net.load_state_dict(uSnapshot, strict: false);
            using (no_grad()) return net.forward(input, t).sum().item<double>();
        }

        net.load_state_dict(uSnapshot, strict: false);
        // The very function the Langevin sampler calls for ∇_y F.
        var gradient = RLDistributed.Core.Sampling.EnergyGradient.OfInput(net, y, t).data<double>().ToArray();

        const double h = 1e-6;
        var flat = y.flatten();
        var worst = 0.0;
        for (var i = 0; i < flat.shape[0]; i++)
        {
            var plus = flat.clone();
            plus[i] += h;
            var minus = flat.clone();
            minus[i] -= h;
            var numeric = (Energy(plus.view(y.shape)) - Energy(minus.view(y.shape))) / (2 * h);
            var error = Math.Abs(numeric - gradient[i]) / Math.Max(1.0, Math.Abs(gradient[i]));
            worst = Math.Max(worst, error);
        }

        Assert.True(worst < 1e-6, $"worst relative error {worst:E2}");
        Assert.Contains(gradient, g => Math.Abs(g) > 1e-3);
    }

    [Fact]
    public void SaveLoad_RoundTrip_ReproducesEnergyBitwise()
    {
        using var scope = NewDisposeScope();
        using var original = new ImageEnergyNetwork(Tiny(), new Generator(10));
        using var restored = new ImageEnergyNetwork(Tiny(), new Generator(11));
        var y = randn(3, 2, 8, 8, generator: new Generator(12));
        var t = tensor(new long[] { 0, 2, 5 });
        using (no_grad()) original.forward(y, t); // move u away from its initial value first
        var path = Path.Combine(Path.GetTempPath(), $"rld-energy-{Guid.NewGuid():N}.bin");
        try
        {
            original.save(path);
            restored.load(path);

            using (no_grad())
            {
                var expected = original.forward(y, t).data<float>().ToArray();
                var actual = restored.forward(y, t).data<float>().ToArray();
                Assert.Equal(expected, actual);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Forward_WrongChannelCount_Throws()
    {
        using var scope = NewDisposeScope();
        using var net = new ImageEnergyNetwork(Tiny(), new Generator(13));

        var ex = Assert.Throws<ArgumentException>(() => net.forward(zeros(1, 3, 8, 8), zeros(1, dtype: ScalarType.Int64)));
        Assert.Equal("y", ex.ParamName);
    }

    // Parameters by hand: temb MLP, conv_in, per block conv1 + temb projection + conv2 + g (+ shortcut), head.
    private static long ExpectedParameterCount(long ch, int[] multipliers, int blocks, long imageChannels)
    {
        var width = 4 * ch;
        var count = (ch * width + width) + (width * width + width) + (imageChannels * 9 * ch + ch);
        var channels = ch;
        foreach (var m in multipliers)
        {
            for (var b = 0; b < blocks; b++)
            {
                var outChannels = ch * m;
                count += channels * 9 * outChannels + outChannels + width * outChannels + outChannels
                    + outChannels * 9 * outChannels + outChannels + outChannels;
                if (channels != outChannels) count += channels * 9 * outChannels + outChannels;
                channels = outChannels;
            }
        }
        return count + width * channels + channels;
    }
}
