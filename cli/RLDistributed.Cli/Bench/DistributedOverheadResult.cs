namespace RLDistributed.Cli.Bench;

/// <summary>
/// Median step seconds of one process alone, of the slowest of N independent processes run at once (the
/// machine's own cost of N ranks), and of the N-worker cluster (slowest rank per step). The control is given two
/// ways: the slowest process's median (<see cref="ConcurrentSeconds"/>), and the median over steps of the slowest
/// process at that step (<see cref="SynchronisedSeconds"/>), which is the statistic the cluster's figure is: a
/// synchronous step ends with its slowest rank, so on a machine where the ranks' step times scatter the cluster pays
/// for that scatter even with a free all-reduce.
/// </summary>
public sealed record DistributedOverheadResult(double SingleSeconds, double ConcurrentSeconds, double ClusterSeconds, double SynchronisedSeconds)
{
    /// <summary>Cluster against one process alone: the figure the target is set on.</summary>
    public double Ratio => ClusterSeconds / SingleSeconds;

    /// <summary>Cluster against N independent processes at once: what the distributed layer adds on this machine.</summary>
    public double RatioToConcurrent => ClusterSeconds / ConcurrentSeconds;

    /// <summary>Cluster against the same processes' slowest per step: what the all-reduce and coordination add beyond the scatter.</summary>
    public double RatioToSynchronised => ClusterSeconds / SynchronisedSeconds;
}
