using static TorchSharp.torch;

namespace RLDistributed.Core.Evaluation.Likelihood;

/// <summary>
/// The mean log-likelihood of held-out examples under a density whose log Z was estimated:
/// log p(x) = log p̃(x) − log Ẑ. Its standard error combines the spread over the examples with log Ẑ's error.
/// </summary>
/// <param name="MeanLogLikelihood">Mean log p(x) in nats per example.</param>
/// <param name="StandardError">√(var(log p̃)/n + SE(log Ẑ)²).</param>
/// <param name="Dimensions">Numbers per example (D).</param>
/// <param name="Count">Examples averaged.</param>
public sealed record TestLikelihood(double MeanLogLikelihood, double StandardError, long Dimensions, int Count)
{
    /// <summary>
    /// log2 of the width of one 8-bit level in the [−1, 1] scaling (x = u/127.5 − 1): 2/256 = 2⁻⁷. A density on
    /// that scale gives a discrete likelihood of p(x)·(2/256)^D, hence the 7 in <see cref="BitsPerDimension"/>.
    /// </summary>
    public const double BitsPerLevelWidth = 7.0;

    /// <summary>Negative log-likelihood in nats per example (what 2-D models report).</summary>
    public double NegativeLogLikelihood => -MeanLogLikelihood;

    /// <summary>Bits per dimension for 8-bit images scaled to [−1, 1]: −log p/(D·ln 2) + 7.</summary>
    public double BitsPerDimension => -MeanLogLikelihood / (Dimensions * Math.Log(2)) + BitsPerLevelWidth;

    /// <summary>Standard error of <see cref="BitsPerDimension"/>.</summary>
    public double BitsPerDimensionError => StandardError / (Dimensions * Math.Log(2));

    /// <summary>Evaluates <paramref name="density"/> on rows of <paramref name="examples"/> in batches and subtracts log Ẑ.</summary>
    public static TestLikelihood Measure(ILogDensity density, Tensor examples, AisEstimate normalizer, int batch = 1024)
    {
        var count = (int)examples.shape[0];
        if (count < 2) throw new ArgumentException("at least two held-out examples are needed", nameof(examples));
        var values = new double[count];
        for (var start = 0; start < count; start += batch)
        {
            using var scope = NewDisposeScope();
            var rows = examples.narrow(0, start, Math.Min(batch, count - start));
            density.LogDensity(rows).cpu().data<double>().CopyTo(values, start);
        }
        var mean = values.Average();
        var variance = values.Sum(v => (v - mean) * (v - mean)) / (count - 1);
        var dimensions = density.ExampleShape.Aggregate(1L, (a, b) => a * b);
        return new TestLikelihood(mean - normalizer.LogNormalizer,
            Math.Sqrt(variance / count + normalizer.StandardError * normalizer.StandardError), dimensions, count);
    }
}
