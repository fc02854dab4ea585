using RLDistributed.Core.Energy;
using TorchSharp;
using static TorchSharp.torch;

namespace RLDistributed.Core.Tests.Energy;

/// <summary>TF's fan_avg uniform variance scaling on Torch-layout weights.</summary>
public sealed class VarianceScalingTests
{
    [Fact]
    public void Fans_ConvWeight_MultiplyByReceptiveField()
    {
        Assert.Equal((4L * 9, 6L * 9), VarianceScaling.Fans([6, 4, 3, 3]));
        Assert.Equal((7L, 5L), VarianceScaling.Fans([5, 7]));
    }

    [Fact]
    public void FanAvgUniform_GlorotScale_StaysWithinLimitAndFillsIt()
    {
        using var scope = NewDisposeScope();
        var limit = Math.Sqrt(3.0 / ((64 * 9 + 32 * 9) / 2.0));

        var w = VarianceScaling.FanAvgUniform(empty(64, 32, 3, 3), 1.0, new Generator(1));

        var maxAbs = w.abs().max().item<float>();
        Assert.True(maxAbs <= limit && maxAbs > 0.95 * limit, $"max |w| = {maxAbs}, limit {limit}");
        Assert.Equal(limit * limit / 3, w.var().item<float>(), 1e-3); // the variance of U(−l, l) is l²/3
    }

    [Fact]
    public void FanAvgUniformLimit_NonPositiveScale_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => VarianceScaling.FanAvgUniformLimit([2, 2], 0));
        Assert.Equal("scale", ex.ParamName);
    }
}
