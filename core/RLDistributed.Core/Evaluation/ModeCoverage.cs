using RLDistributed.Core.Data;

namespace RLDistributed.Core.Evaluation;

/// <summary>
/// How 2-D samples spread over a Gaussian mixture's modes: the share of samples nearest each centre,
/// and the share within k standard deviations of its nearest centre.
/// </summary>
public sealed record ModeCoverage(double[] ShareByMode, double ShareWithin, double StdMultiple)
{
    /// <summary>Measures interleaved (x, y) samples against <paramref name="mixture"/>.</summary>
    public static ModeCoverage Measure(GaussianMixture2D mixture, ReadOnlySpan<float> samples, double stdMultiple = 3.0)
    {
        var count = samples.Length / 2;
        if (count == 0) throw new ArgumentException("no samples", nameof(samples));
        var perMode = new int[mixture.Centres.Count];
        var within = 0;
        for (var i = 0; i < count; i++)
        {
            var (mode, distance) = mixture.NearestMode(samples[2 * i], samples[2 * i + 1]);
            perMode[mode]++;
            if (distance <= stdMultiple * mixture.ModeStd) within++;
        }
        return new ModeCoverage(perMode.Select(c => c / (double)count).ToArray(), within / (double)count, stdMultiple);
    }

    /// <summary>Modes that hold at least <paramref name="minimumShare"/> of the samples.</summary>
    public int ModesCovered(double minimumShare) => ShareByMode.Count(s => s >= minimumShare);
}
