using RLDistributed.Cli.Training;
using RLDistributed.Core.Models;
using RLDistributed.Core.Presets;
using RLDistributed.Worker.Collective;
using static TorchSharp.torch;

namespace RLDistributed.Cli.Bench;

/// <summary>
/// How much of the gradient all-reduce the backward hides. A real cluster (a coordinator and N worker processes over
/// tcp on 127.0.0.1, one torch thread each) trains the preset once per setting of Rld:Worker:AllReduceOverlap, the
/// run otherwise the same (per-worker batch, seed, steps, bucket size), so both end with the same parameters. Each
/// worker's per-step debug lines (compact JSON) give its step time, backward time, the ring's time and the part of it
/// before the backward returned; the first <see cref="ClusterWarmup.Steps"/> steps are not timed.
/// </summary>
public static class OverlapBenchmark
{
    /// <summary>Runs one cluster with overlap <paramref name="overlap"/> and returns its medians.</summary>
    /// <param name="devices">Each worker's torch device (null: the CPU).</param>
    /// <param name="dataPath">The image set's directory (null: the preset's default).</param>
    public static async Task<OverlapRunResult> RunAsync(TrainingPreset preset, bool overlap, int workers, int perWorkerBatch, int steps, long bucketBytes,
        string scratchDirectory, CancellationToken cancellationToken, IReadOnlyList<string>? devices = null, string? dataPath = null)
    {
        var warmup = ClusterWarmup.Steps(preset);
        var training = preset with { Training = preset.Training with { GlobalBatch = perWorkerBatch * workers, Steps = steps + warmup } };
        var spec = new RunSpec { Preset = training, DataPath = dataPath, ThreadsPerWorker = 1, CheckpointEvery = 0, GradientBucketBytes = bucketBytes };
        var output = Path.Combine(scratchDirectory, overlap ? "on" : "off");
        var log = await BenchCluster.RunAsync(new LocalClusterOptions(spec, $"bench-overlap-{Environment.ProcessId}", workers, "tcp", output, 1)
        {
            WorkerEnvironment = new Dictionary<string, string> { ["Rld__Worker__AllReduceOverlap"] = overlap ? "true" : "false" },
            WorkerDevices = devices,
        }, cancellationToken).ConfigureAwait(false);
        return Summarise(log, preset.Name, overlap, workers, warmup, Layout(preset, bucketBytes));
    }

    private static OverlapRunResult Summarise(WorkerStepLog log, string preset, bool overlap, int workers, int warmup, (int Buckets, long Bytes) layout)
    {
        var byRank = log.Timings(warmup);
        var timed = byRank.Select(t => t.Timings).ToArray();
        var steps = log.SlowestRankSeconds(warmup);
        if (timed.Length == 0 || steps.Length == 0 || log.FinalHash(0) is not { } hash)
            throw new InvalidOperationException($"the workers logged no timed steps:{Environment.NewLine}{log.Tail()}");
        var perRank = Enumerable.Range(0, workers).Select(r => Hidden(byRank.Where(t => t.Rank == r).Select(t => t.Timings))).ToArray();
        return new OverlapRunResult(preset, overlap, layout.Buckets, layout.Bytes, BenchStatistics.Median(steps),
            BenchStatistics.Median(timed.Select(t => t.Backward)), BenchStatistics.Median(timed.Select(t => t.Communication)),
            BenchStatistics.Median(timed.Select(t => t.Exposed)), Hidden(timed), perRank,
            overlap ? BenchStatistics.Median(timed.Select(t => t.Backward > 0 ? 1 - (t.Window / t.Backward) : 1)) : null, hash);
    }

    private static double Hidden(IEnumerable<WorkerStepTimings> timings)
    {
        var list = timings.ToList();
        var communication = list.Sum(t => t.Communication);
        return communication > 0 ? list.Sum(t => t.Hidden) / communication : 0;
    }

    /// <summary>The number of buckets and the gradient bytes of the preset's network.</summary>
    private static (int Buckets, long Bytes) Layout(TrainingPreset preset, long bucketBytes)
    {
        using var energy = EnergyModelFactory.Create(preset.Model, preset.Training.Seed, CPU);
        using var buckets = new GradientBuckets(energy.parameters(), bucketBytes);
        return (buckets.Count, energy.ParameterCount() * sizeof(float));
    }
}
