namespace RLDistributed.Cli.Bench;

/// <summary>The summary statistic every benchmark quotes: the median (robust to a noisy machine's outliers).</summary>
public static class BenchStatistics
{
    /// <summary>Median of <paramref name="values"/> (the mean of the middle two for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) throw new ArgumentException("no values", nameof(values));
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
