namespace RLDistributed.Core.Evaluation.Likelihood;

/// <summary>
/// log Z of a target density as AIS estimated it: log of the mean importance weight, its standard error (delta
/// method: sd(w)/(mean(w)·√n), valid when the effective sample size is not tiny), and the diagnostics.
/// </summary>
/// <param name="LogNormalizer">log Ẑ = log mean exp(log wᵢ) + log Z_base.</param>
/// <param name="StandardError">Standard error of log Ẑ.</param>
/// <param name="EffectiveSampleSize">(Σw)²/Σw²: near the chain count when the weights agree.</param>
/// <param name="Chains">Number of chains (weights).</param>
/// <param name="Distributions">Number of intermediate distributions.</param>
/// <param name="MeanAcceptance">Mean MALA acceptance rate over the run.</param>
/// <param name="LogWeights">Every chain's log-weight (base normaliser included), for inspection.</param>
public sealed record AisEstimate(double LogNormalizer, double StandardError, double EffectiveSampleSize, int Chains,
    int Distributions, double MeanAcceptance, double[] LogWeights)
{
    /// <summary>Estimates log Z and its error from log-weights.</summary>
    public static AisEstimate FromLogWeights(double[] logWeights, int distributions, double meanAcceptance)
    {
        if (logWeights.Length < 2) throw new ArgumentException("at least two chains are needed for a standard error", nameof(logWeights));
        var max = logWeights.Max();
        if (double.IsNaN(max) || double.IsInfinity(max)) throw new ArgumentException($"the log-weights are not finite (max {max})", nameof(logWeights));
        var weights = logWeights.Select(w => Math.Exp(w - max)).ToArray();
        var n = weights.Length;
        var mean = weights.Average();
        var variance = weights.Sum(w => (w - mean) * (w - mean)) / (n - 1);
        var sumSquares = weights.Sum(w => w * w);
        return new AisEstimate(
            LogNormalizer: max + Math.Log(mean),
            StandardError: Math.Sqrt(variance / n) / mean,
            EffectiveSampleSize: mean * mean * n * n / sumSquares,
            Chains: n,
            Distributions: distributions,
            MeanAcceptance: meanAcceptance,
            LogWeights: logWeights);
    }
}
