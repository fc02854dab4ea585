using RLDistributed.Cli.Training;

namespace RLDistributed.Cli.Bench;

/// <summary>
/// Runs a local cluster for a benchmark with the workers' per-step debug lines on, and stops it once every rank has
/// logged its final hash: what rank 0 does next (the model and the sample pictures) is not measured.
/// </summary>
internal static class BenchCluster
{
    /// <summary>Runs <paramref name="options"/> (its worker environment added to the debug-line settings) to the end of training.</summary>
    public static async Task<WorkerStepLog> RunAsync(LocalClusterOptions options, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var log = new WorkerStepLog(options.Workers, stop.Cancel);
        var environment = new Dictionary<string, string>(WorkerStepLog.WorkerEnvironment);
        foreach (var (name, value) in options.WorkerEnvironment ?? new Dictionary<string, string>()) environment[name] = value;
        var cluster = new LocalCluster(options with { WorkerEnvironment = environment });
        try
        {
            var code = await cluster.RunAsync(log.Add, _ => { }, stop.Token).ConfigureAwait(false);
            if (code != 0) throw new InvalidOperationException($"the benchmark cluster failed:{Environment.NewLine}{log.Tail()}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && log.AllFinished)
        {
            // Every rank finished its steps; the cluster was stopped before rank 0 drew its samples.
        }
        return log;
    }
}
