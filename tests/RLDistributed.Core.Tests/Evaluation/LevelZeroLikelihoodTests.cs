using RLDistributed.Core.Evaluation.Likelihood;
using static TorchSharp.torch;

namespace RLDistributed.Core.Tests.Evaluation;

/// <summary>
/// On a trained 2-D model the truth is at hand: quadrature of the same learned level-0 energy on a fine grid.
/// AIS must land within 0.05 nats of it.
/// </summary>
public sealed class LevelZeroLikelihoodTests(TrainedToyModel model, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<TrainedToyModel>
{
    [Fact]
    [Trait("Category", "Slow")]
    public void Ais_TrainedToy2D_WithinFiveHundredthsOfQuadrature()
    {
        var density = new LevelZeroDensity(model.Ema, model.Schedule);
        var quadrature = GridQuadrature.LogNormalizer(density, extent: 1.6, pointsPerAxis: 800, CPU);
        using var heldOut = model.HeldOut(4096, seed: 99);
        using var basis = GaussianBase.FitTo(heldOut);

        var ais = new AnnealedImportanceSampler(new AisOptions { Distributions = 1000, Chains = 4096, Seed = 3 }).Estimate(density, basis, CPU);

        var difference = ais.LogNormalizer - quadrature.LogNormalizer;
        output.WriteLine($"quadrature {quadrature.LogNormalizer:F4} (border {quadrature.BorderGap:F0} nats below the peak); " +
                         $"AIS {ais.LogNormalizer:F4} ± {ais.StandardError:F4}, ESS {ais.EffectiveSampleSize:F0}, acceptance {ais.MeanAcceptance:F2}; " +
                         $"difference {difference:+0.0000;-0.0000}");
        // The box holds the mass: the border is far below the peak.
        Assert.True(quadrature.BorderGap > 50, $"border only {quadrature.BorderGap:F1} nats below the peak");
        Assert.True(Math.Abs(difference) < 0.05, $"AIS {ais.LogNormalizer:F4} vs quadrature {quadrature.LogNormalizer:F4}");
        Assert.True(ais.StandardError < 0.025, $"SE {ais.StandardError:F4}");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void TestLikelihood_TrainedToy2D_HeldOutBeatsShiftedPoints()
    {
        var density = new LevelZeroDensity(model.Ema, model.Schedule);
        var quadrature = GridQuadrature.LogNormalizer(density, extent: 1.6, pointsPerAxis: 400, CPU);
        var normalizer = AisEstimate.FromLogWeights([quadrature.LogNormalizer, quadrature.LogNormalizer], 1, 1);
        using var heldOut = model.HeldOut(2000, seed: 5);
        using var shifted = heldOut + 0.2;

        var onData = TestLikelihood.Measure(density, heldOut, normalizer);
        var offData = TestLikelihood.Measure(density, shifted, normalizer);

        output.WriteLine($"held-out {onData.MeanLogLikelihood:F3} ± {onData.StandardError:F3} nats; shifted {offData.MeanLogLikelihood:F3}");
        // A few hundred steps place the modes roughly; points moved off them score far lower. The mean is exact
        // arithmetic on the same values: log p̃ averaged, minus log Z.
        var expected = density.LogDensity(heldOut).mean().item<double>() - quadrature.LogNormalizer;
        Assert.Equal(expected, onData.MeanLogLikelihood, 9);
        Assert.True(offData.MeanLogLikelihood < onData.MeanLogLikelihood - 5, $"shifted {offData.MeanLogLikelihood:F3}");
        Assert.InRange(onData.StandardError, 1e-6, 2.0);
        Assert.Equal(2, onData.Dimensions);
    }
}
