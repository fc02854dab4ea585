namespace RLDistributed.Cli.Bench;

/// <summary>
/// One process alone, and rounds of the control (N independent processes at once: the machine's own cost of N ranks)
/// and the N-worker cluster, run back to back. A round's ratios compare figures taken within seconds of each other;
/// on a shared machine the step time of the same work drifts by 30% or more between minutes, so the summary ratios are
/// medians of the rounds' ratios, not ratios of figures from different minutes.
/// </summary>
/// <param name="SingleSeconds">Median step of one one-thread process with batch B.</param>
/// <param name="Rounds">The control and the cluster, alternating which goes first.</param>
public sealed record DistributedOverheadResult(double SingleSeconds, IReadOnlyList<DistributedOverheadRound> Rounds)
{
    /// <summary>The control's slowest median, median over rounds.</summary>
    public double ConcurrentSeconds => BenchStatistics.Median(Rounds.Select(r => r.ConcurrentSeconds));

    /// <summary>The control's median of the slowest per step, median over rounds.</summary>
    public double SynchronisedSeconds => BenchStatistics.Median(Rounds.Select(r => r.SynchronisedSeconds));

    /// <summary>The cluster's median step, median over rounds.</summary>
    public double ClusterSeconds => BenchStatistics.Median(Rounds.Select(r => r.ClusterSeconds));

    /// <summary>Cluster against one process alone (taken minutes apart: the least reliable figure).</summary>
    public double Ratio => ClusterSeconds / SingleSeconds;

    /// <summary>Cluster against N independent processes at once: median over rounds.</summary>
    public double RatioToConcurrent => BenchStatistics.Median(Rounds.Select(r => r.RatioToConcurrent));

    /// <summary>Cluster against the same processes' slowest per step: what the all-reduce and coordination add; median over rounds.</summary>
    public double RatioToSynchronised => BenchStatistics.Median(Rounds.Select(r => r.RatioToSynchronised));
}

/// <summary>
/// One round: the control given two ways — the slowest process's median (<see cref="ConcurrentSeconds"/>), and the
/// median over steps of the slowest process at that step (<see cref="SynchronisedSeconds"/>), which is the statistic
/// the cluster's figure is (a synchronous step ends with its slowest rank, so on a machine where the ranks' step times
/// scatter the cluster pays for that scatter even with a free all-reduce) — and the cluster's median step.
/// </summary>
public sealed record DistributedOverheadRound(double ConcurrentSeconds, double SynchronisedSeconds, double ClusterSeconds)
{
    /// <summary>Cluster against the control's slowest median.</summary>
    public double RatioToConcurrent => ClusterSeconds / ConcurrentSeconds;

    /// <summary>Cluster against the control's slowest per step.</summary>
    public double RatioToSynchronised => ClusterSeconds / SynchronisedSeconds;
}
