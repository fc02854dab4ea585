using RLDistributed.Core.Evaluation.Likelihood;
using static TorchSharp.torch;

namespace RLDistributed.Core.Tests.Evaluation;

/// <summary>AIS against a normaliser known in closed form.</summary>
public sealed class AnnealedImportanceSamplerTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Theory]
    [InlineData(2)]
    [InlineData(8)]
    public void Estimate_CorrelatedGaussian_WithinThreeStandardErrorsOfClosedForm(int dimensions)
    {
        var target = GaussianLogDensity.Correlated(dimensions, offset: 3.7);
        using var basis = new GaussianBase(zeros(dimensions, dtype: ScalarType.Float64), ones(dimensions, dtype: ScalarType.Float64));
        var sampler = new AnnealedImportanceSampler(new AisOptions { Distributions = 2000, Chains = 512, TransitionsPerDistribution = 2, Seed = 5 });

        var estimate = sampler.Estimate(target, basis, CPU);

        var error = estimate.LogNormalizer - target.TrueLogNormalizer;
        output.WriteLine($"d={dimensions}: AIS {estimate.LogNormalizer:F4} ± {estimate.StandardError:F4}, truth {target.TrueLogNormalizer:F4}, " +
                         $"error {error:+0.0000;-0.0000}, ESS {estimate.EffectiveSampleSize:F0}, acceptance {estimate.MeanAcceptance:F2}");
        Assert.InRange(estimate.StandardError, 1e-6, 0.05);
        Assert.True(Math.Abs(error) <= 3 * estimate.StandardError, $"error {error:F4} exceeds 3 SE = {3 * estimate.StandardError:F4}");
        Assert.InRange(estimate.MeanAcceptance, 0.4, 0.8);
    }

    [Fact]
    public void Estimate_NoAnnealing_IsPlainImportanceSamplingAndTheErrorShows()
    {
        // One distribution is importance sampling from the base: unbiased, but for a narrow 8-D target the
        // weights collapse, the effective sample size is a handful and the reported error is large.
        var target = GaussianLogDensity.Correlated(8, offset: 0);
        using var basis = new GaussianBase(zeros(8, dtype: ScalarType.Float64), ones(8, dtype: ScalarType.Float64));

        var estimate = new AnnealedImportanceSampler(new AisOptions { Distributions = 1, Chains = 512, Seed = 5 }).Estimate(target, basis, CPU);

        output.WriteLine($"K=1: {estimate.LogNormalizer:F3} ± {estimate.StandardError:F3}, ESS {estimate.EffectiveSampleSize:F1}");
        Assert.True(estimate.EffectiveSampleSize < 20, $"ESS {estimate.EffectiveSampleSize}");
        Assert.True(estimate.StandardError > 0.2, $"SE {estimate.StandardError}");
    }

    [Fact]
    public void Sigmoid_Schedule_RunsFromZeroToOneAndIncreases()
    {
        var betas = AnnealingSchedule.Sigmoid(100, 4);

        Assert.Equal(0.0, betas[0]);
        Assert.Equal(1.0, betas[^1]);
        Assert.All(betas.Zip(betas.Skip(1)), pair => Assert.True(pair.Second > pair.First));
        // Denser near the ends than in the middle.
        Assert.True(betas[1] - betas[0] < betas[51] - betas[50]);
    }

    [Fact]
    public void FromLogWeights_EqualWeights_ZeroErrorFullEss()
    {
        var estimate = AisEstimate.FromLogWeights([2.0, 2.0, 2.0, 2.0], 10, 0.5);

        Assert.Equal(2.0, estimate.LogNormalizer, 12);
        Assert.Equal(0.0, estimate.StandardError, 12);
        Assert.Equal(4.0, estimate.EffectiveSampleSize, 12);
    }
}
