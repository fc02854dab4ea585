using RLDistributed.Core.Evaluation.Likelihood;

namespace RLDistributed.Core.Tests.Evaluation;

public sealed class TestLikelihoodTests
{
    [Fact]
    public void BitsPerDimension_UniformOverTheImageRange_IsEightBits()
    {
        // The uniform density on [−1, 1]^D is 2^−D: every one of the 256 levels equally likely, 8 bits each.
        const int dimensions = 3 * 32 * 32;
        var uniform = new TestLikelihood(-dimensions * Math.Log(2), 0.5, dimensions, 100);

        Assert.Equal(8.0, uniform.BitsPerDimension, 12);
        Assert.Equal(0.5 / (dimensions * Math.Log(2)), uniform.BitsPerDimensionError, 15);
        Assert.Equal(dimensions * Math.Log(2), uniform.NegativeLogLikelihood, 9);
    }
}
