using RLDistributed.Core.Presets;

namespace RLDistributed.Cli.Bench;

/// <summary>
/// Weak scaling: N worker processes (one thread each, per-worker batch B, so global batch N·B) against one,
/// as local clusters. Throughput is N·B examples per (slowest rank's) step; efficiency is the throughput
/// against N times that of one worker.
/// </summary>
public static class ScalingBenchmark
{
    /// <summary>One cluster per world size, one after another.</summary>
    public static async Task<List<ScalingPoint>> RunAsync(TrainingPreset preset, IReadOnlyList<int> worldSizes, int perWorkerBatch, int steps,
        CancellationToken cancellationToken)
    {
        var points = new List<ScalingPoint>();
        double? single = null;
        foreach (var n in worldSizes)
        {
            var scratch = Directory.CreateTempSubdirectory("rld-bench-scaling-").FullName;
            try
            {
                var seconds = await DistributedOverheadBenchmark.ClusterAsync(preset, n, perWorkerBatch, steps, scratch, cancellationToken).ConfigureAwait(false);
                var throughput = n * perWorkerBatch / seconds;
                single ??= n == 1 ? throughput : null;
                points.Add(new ScalingPoint(n, perWorkerBatch, seconds, throughput, single is { } one ? throughput / (n * one) : double.NaN));
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
        return points;
    }
}

/// <summary>One world size: step seconds, examples per second, and efficiency against N single workers.</summary>
public sealed record ScalingPoint(int Workers, int PerWorkerBatch, double StepSeconds, double ExamplesPerSecond, double Efficiency);
