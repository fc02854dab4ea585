namespace RLDistributed.Core.Training;

/// <summary>
/// What one rank saw in one step. Sums (not means) so that ranks add up: the global loss is
/// ΣLoss (already divided by the global batch); per-level means are ΣEnergy/Count over ranks.
/// </summary>
public sealed record StepStatistics(long Step, double Loss, double[] PositiveEnergySum, double[] NegativeEnergySum, int[] Count)
{
    /// <summary>Seconds this rank spent in the loss's backward pass (not summed by <see cref="Add"/>: a timing, not a statistic).</summary>
    public double BackwardSeconds { get; init; }

    /// <summary>Mean F(pos) − F(neg) at level t, or NaN when no example had that level.</summary>
    public double EnergyGap(int t) => Count[t] == 0 ? double.NaN : (PositiveEnergySum[t] - NegativeEnergySum[t]) / Count[t];

    /// <summary>Adds another rank's statistics of the same step.</summary>
    public StepStatistics Add(StepStatistics other) => new(
        Step, Loss + other.Loss,
        PositiveEnergySum.Zip(other.PositiveEnergySum, (a, b) => a + b).ToArray(),
        NegativeEnergySum.Zip(other.NegativeEnergySum, (a, b) => a + b).ToArray(),
        Count.Zip(other.Count, (a, b) => a + b).ToArray());
}
