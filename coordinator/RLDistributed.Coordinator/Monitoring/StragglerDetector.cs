namespace RLDistributed.Coordinator.Monitoring;

/// <summary>
/// Flags a rank whose compute time (its step time less the all-reduce, in which fast ranks wait for slow ones)
/// exceeds <see cref="Factor"/>× the median over the ranks for <see cref="ConsecutiveSteps"/> steps in a row;
/// one step under the threshold clears it. With one rank there is no one to be slower than.
/// </summary>
public sealed class StragglerDetector
{
    /// <summary>How much slower than the median a rank must be. 1.2.</summary>
    public const double Factor = 1.2;

    /// <summary>For how many consecutive steps. 3.</summary>
    public const int ConsecutiveSteps = 3;

    private readonly Dictionary<int, int> _slowStreak = [];
    private readonly HashSet<int> _flagged = [];

    /// <summary>The ranks flagged now.</summary>
    public IReadOnlyCollection<int> Flagged => _flagged;

    /// <summary>Ranks flagged since the start (a rank flagged twice counts twice).</summary>
    public long Detections { get; private set; }

    /// <summary>Takes one combined step's compute seconds per rank; returns the ranks newly flagged by it.</summary>
    public IReadOnlyList<int> Observe(IReadOnlyDictionary<int, double> computeSeconds)
    {
        if (computeSeconds.Count < 2) return [];
        var median = Median(computeSeconds.Values);
        var newlyFlagged = new List<int>();
        foreach (var (rank, seconds) in computeSeconds)
        {
            if (seconds > Factor * median)
            {
                var streak = _slowStreak[rank] = _slowStreak.GetValueOrDefault(rank) + 1;
                if (streak >= ConsecutiveSteps && _flagged.Add(rank))
                {
                    Detections++;
                    newlyFlagged.Add(rank);
                }
            }
            else
            {
                _slowStreak[rank] = 0;
                _flagged.Remove(rank);
            }
        }
        return newlyFlagged;
    }

    /// <summary>A new generation renumbers the ranks: streaks and flags start over.</summary>
    public void Reset()
    {
        _slowStreak.Clear();
        _flagged.Clear();
    }

    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
