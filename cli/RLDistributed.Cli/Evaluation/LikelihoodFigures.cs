using RLDistributed.Core.Evaluation.Likelihood;
using static TorchSharp.torch;

namespace RLDistributed.Cli.Evaluation;

/// <summary>log Z of the level-0 EBM by AIS, and the held-out log-likelihood it gives.</summary>
public static class LikelihoodFigures
{
    /// <summary>
    /// Runs AIS from a Gaussian fitted to <paramref name="heldOut"/> and scores those examples. Images report bits/dim
    /// (8-bit data scaled to [−1, 1]); 2-D data reports nats. Returns the figures and the estimate (null when skipped).
    /// </summary>
    public static (IReadOnlyList<EvaluationFigure> Figures, AisEstimate? Estimate) Measure(ILogDensity density, Tensor heldOut,
        EvaluationSettings settings, bool images, Device device, Action<string> say, CancellationToken cancellationToken)
    {
        if (settings.AisDistributions == 0)
            return ([new EvaluationFigure("log Z (AIS)", null, null, "nats", "skipped: --ais-distributions 0")], null);
        using var basis = GaussianBase.FitTo(heldOut);
        var options = new AisOptions { Distributions = settings.AisDistributions, Chains = settings.AisChains, Seed = settings.Seed };
        // AIS on images can run for hours: say how far it is every tenth of the distributions.
        var reported = 0;
        var progress = new InlineProgress(done =>
        {
            if ((int)(done * 10) <= reported) return;
            reported = (int)(done * 10);
            say($"AIS {done:P0}");
        });
        var estimate = new AnnealedImportanceSampler(options).Estimate(density, basis, device, progress, cancellationToken);
        var likelihood = TestLikelihood.Measure(density, heldOut.to(device), estimate);
        var how = $"AIS, {estimate.Distributions} distributions × {estimate.Chains} chains, MALA acceptance {estimate.MeanAcceptance:F2}, ESS {estimate.EffectiveSampleSize:F0}";
        var figures = new List<EvaluationFigure> { new("log Z (AIS)", estimate.LogNormalizer, estimate.StandardError, "nats", how) };
        var scored = $"{likelihood.Count} held-out examples, level-0 marginal EBM F(a′₁x, 0)/s₀² − log Z";
        figures.Add(images
            ? new EvaluationFigure("test NLL", likelihood.BitsPerDimension, likelihood.BitsPerDimensionError, "bits/dim", scored)
            : new EvaluationFigure("test NLL", likelihood.NegativeLogLikelihood, likelihood.StandardError, "nats", scored));
        return (figures, estimate);
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool, out of order).</summary>
    private sealed class InlineProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
