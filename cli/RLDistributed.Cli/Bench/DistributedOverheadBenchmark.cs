using System.Diagnostics;
using RLDistributed.Cli.Training;
using RLDistributed.Core.Data;
using RLDistributed.Core.Models;
using RLDistributed.Core.Presets;
using RLDistributed.Core.Training;
using static TorchSharp.torch;

namespace RLDistributed.Cli.Bench;

/// <summary>
/// Distributed overhead: the step time of N worker processes (one thread each, per-worker batch B, global
/// batch N·B) against one process with one thread and batch B. Each worker does the work of the single
/// process plus the all-reduce and the coordination, so the ratio is what distribution costs.
/// </summary>
public static class DistributedOverheadBenchmark
{
    /// <summary>Returns (single-process median step seconds, cluster median step seconds).</summary>
    public static async Task<(double Single, double Cluster)> RunAsync(TrainingPreset preset, int workers, int perWorkerBatch, int steps,
        string scratchDirectory, CancellationToken cancellationToken)
    {
        var single = SingleProcess(preset, perWorkerBatch, steps, cancellationToken);
        var clusterPreset = preset with { Training = preset.Training with { GlobalBatch = perWorkerBatch * workers, Steps = steps + Warmup } };
        var spec = new RunSpec { Preset = clusterPreset, ThreadsPerWorker = 1 };
        var cluster = new LocalCluster(new LocalClusterOptions(spec, $"bench-overhead-{Environment.ProcessId}", workers, "tcp", scratchDirectory, 1));
        var median = 0.0;
        var code = await cluster.RunAsync(_ => { }, status => { if (status.MedianStepSeconds > 0) median = status.MedianStepSeconds; }, cancellationToken).ConfigureAwait(false);
        if (code != 0) throw new InvalidOperationException($"the benchmark cluster failed; see {Path.Combine(scratchDirectory, "cluster.log")}");
        return (single, median);
    }

    private const int Warmup = 5;

    private static double SingleProcess(TrainingPreset preset, int batch, int steps, CancellationToken cancellationToken)
    {
        var threads = get_num_threads();
        set_num_threads(1);
        try
        {
            var options = preset.Training with { GlobalBatch = batch };
            var dataset = DatasetCatalog.Open(preset.Dataset, null, preset.PadTo32, options.Seed);
            using var energy = EnergyModelFactory.Create(preset.Model, options.Seed, CPU);
            using var ema = EnergyModelFactory.Create(preset.Model, options.Seed, CPU);
            using var trainer = new Trainer(energy, ema, dataset, options, CPU);
            var seconds = new List<double>();
            for (var step = 0; step < Warmup + steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var clock = Stopwatch.StartNew();
                trainer.TrainStep(step, cancellationToken);
                if (step >= Warmup) seconds.Add(clock.Elapsed.TotalSeconds);
            }
            var sorted = seconds.Order().ToArray();
            return sorted[sorted.Length / 2];
        }
        finally
        {
            set_num_threads(threads);
        }
    }
}
