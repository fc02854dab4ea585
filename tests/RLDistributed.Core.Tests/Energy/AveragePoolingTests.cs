using RLDistributed.Core.Energy;
using static TorchSharp.torch;

namespace RLDistributed.Core.Tests.Energy;

/// <summary>The image network's 2×2 average pooling against libtorch's avg_pool2d: the same values and the same gradient.</summary>
public sealed class AveragePoolingTests
{
    [Theory]
    [InlineData(2, 3, 8, 8)]
    [InlineData(1, 5, 7, 9)] // odd sizes: the last row and column are dropped, as avg_pool2d drops them
    public void TwoByTwo_Float64_SameValuesAndGradientAsAvgPool2d(int batch, int channels, int height, int width)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(7);
        var input = randn([batch, channels, height, width], dtype: float64, generator: generator);
        var upstream = randn([batch, channels, height / 2, width / 2], dtype: float64, generator: generator);

        var (ours, ourGradient) = ValueAndGradient(AveragePooling.TwoByTwo, input, upstream);
        var (theirs, theirGradient) = ValueAndGradient(x => nn.functional.avg_pool2d(x, [2, 2], [2, 2]), input, upstream);

        Assert.Equal(theirs.shape, ours.shape);
        Assert.True(ours.allclose(theirs, rtol: 1e-14, atol: 1e-14), $"largest difference {(ours - theirs).abs().max().item<double>():E2}");
        // ¼ of the upstream gradient to each input of a window: exact in binary floating point.
        Assert.True(ourGradient.eq(theirGradient).all().item<bool>(), "the gradients differ");
    }

    [Fact]
    public void TwoByTwo_Float32_WithinRoundingOfAvgPool2d()
    {
        using var scope = NewDisposeScope();
        var input = randn([4, 16, 32, 32], generator: new Generator(3));

        var ours = AveragePooling.TwoByTwo(input);
        var theirs = nn.functional.avg_pool2d(input, [2, 2], [2, 2]);

        Assert.Equal(float32, ours.dtype);
        Assert.True(ours.allclose(theirs, rtol: 1e-6, atol: 1e-6), $"largest difference {(ours - theirs).abs().max().item<float>():E2}");
    }

    [Theory]
    [InlineData(16, 32, 32)] // fashion-mnist's pools
    [InlineData(16, 64, 16)]
    [InlineData(4, 16, 8)]   // the tiny test networks
    [InlineData(4, 32, 4)]
    public void TwoByTwo_Float32_RepeatedTwentyTimes_BitwiseTheSame(int batch, int channels, int size)
    {
        byte[]? first = null;
        for (var repetition = 0; repetition < 20; repetition++)
        {
            using var scope = NewDisposeScope();
            var input = randn([batch, channels, size, size], generator: new Generator(1));
            var upstream = randn([batch, channels, size / 2, size / 2], generator: new Generator(2));
            var (value, gradient) = ValueAndGradient(AveragePooling.TwoByTwo, input, upstream);
            var bytes = cat([value.flatten(), gradient.flatten()], 0).bytes.ToArray();
            first ??= bytes;
            Assert.True(bytes.AsSpan().SequenceEqual(first), $"repetition {repetition} differs from the first");
        }
    }

    private static (Tensor Value, Tensor Gradient) ValueAndGradient(Func<Tensor, Tensor> pool, Tensor input, Tensor upstream)
    {
        var x = input.detach().clone().requires_grad_(true);
        var y = pool(x);
        y.backward([upstream]);
        return (y.detach(), x.grad!.detach());
    }
}
