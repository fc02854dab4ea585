namespace RLDistributed.Cli.Bench;

/// <summary>
/// Median step seconds of one process alone, of the slowest of N independent processes run at once (the
/// machine's own cost of N ranks), and of the N-worker cluster (slowest rank per step).
/// </summary>
public sealed record DistributedOverheadResult(double SingleSeconds, double ConcurrentSeconds, double ClusterSeconds)
{
    /// <summary>Cluster against one process alone: the figure the target is set on.</summary>
    public double Ratio => ClusterSeconds / SingleSeconds;

    /// <summary>Cluster against N independent processes at once: what the distributed layer adds on this machine.</summary>
    public double RatioToConcurrent => ClusterSeconds / ConcurrentSeconds;
}
