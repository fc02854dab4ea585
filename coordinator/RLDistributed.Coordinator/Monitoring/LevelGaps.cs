using RLDistributed.Protos.V1;

namespace RLDistributed.Coordinator.Monitoring;

/// <summary>The mean F(pos) − F(neg) per level of one step, over every rank's examples of that level.</summary>
internal static class LevelGaps
{
    /// <summary>The ranks' sums added, divided by the ranks' counts; null for a level no rank drew.</summary>
    public static double?[] Of(IReadOnlyList<StepReport> reports)
    {
        var levels = reports.Count == 0 ? 0 : reports.Max(r => r.LevelCount.Count);
        var gaps = new double?[levels];
        for (var t = 0; t < levels; t++)
        {
            var count = reports.Sum(r => t < r.LevelCount.Count ? r.LevelCount[t] : 0);
            var sum = reports.Sum(r => t < r.LevelCount.Count ? r.PositiveEnergySum[t] - r.NegativeEnergySum[t] : 0);
            gaps[t] = count > 0 ? sum / count : null;
        }
        return gaps;
    }
}
