using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RLDistributed.Cli.Commands;
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
/// process plus the all-reduce and the coordination, so the ratio is what distribution costs. A control run
/// of N independent single processes at once (no communication) shows what the machine itself costs when
/// N ranks share its cores, so that the two can be told apart on a small machine.
/// </summary>
public static class DistributedOverheadBenchmark
{
    // A fresh process settles after about a dozen toy2d iterations (bench/README.md, PyTorch peer); all three
    // measurements skip the same number.
    private const int Warmup = 20;

    /// <summary>Runs the three measurements, one after the other.</summary>
    public static async Task<DistributedOverheadResult> RunAsync(TrainingPreset preset, int workers, int perWorkerBatch, int steps,
        string scratchDirectory, CancellationToken cancellationToken)
    {
        var single = SingleProcess(preset, perWorkerBatch, steps, cancellationToken);
        var (concurrent, synchronised) = await ConcurrentSingleProcessesAsync(preset, workers, perWorkerBatch, steps, cancellationToken).ConfigureAwait(false);
        var cluster = await ClusterAsync(preset, workers, perWorkerBatch, steps, scratchDirectory, cancellationToken).ConfigureAwait(false);
        return new DistributedOverheadResult(single, concurrent, cluster, synchronised);
    }

    /// <summary>Median step seconds (slowest rank) of N one-thread workers, per-worker batch B, over S steps after a warm-up.</summary>
    internal static async Task<double> ClusterAsync(TrainingPreset preset, int workers, int perWorkerBatch, int steps, string scratchDirectory, CancellationToken cancellationToken)
    {
        var clusterPreset = preset with { Training = preset.Training with { GlobalBatch = perWorkerBatch * workers, Steps = steps + Warmup } };
        var spec = new RunSpec { Preset = clusterPreset, ThreadsPerWorker = 1 };
        var cluster = new LocalCluster(new LocalClusterOptions(spec, $"bench-overhead-{Environment.ProcessId}", workers, "tcp", scratchDirectory, 1));
        var median = 0.0;
        var code = await cluster.RunAsync(_ => { }, status => { if (status.MedianStepSeconds > 0) median = status.MedianStepSeconds; }, cancellationToken).ConfigureAwait(false);
        if (code != 0) throw new InvalidOperationException($"the benchmark cluster failed; see {Path.Combine(scratchDirectory, "cluster.log")}");
        return median;
    }

    /// <summary>
    /// N <c>rld bench step --threads 1</c> processes at once: the slowest one's median step, and the median over steps
    /// of the slowest process at each step (the i-th timed iterations of the processes, paired).
    /// </summary>
    private static async Task<(double SlowestMedian, double MedianOfSlowest)> ConcurrentSingleProcessesAsync(TrainingPreset preset, int count, int batch, int steps, CancellationToken cancellationToken)
    {
        var lines = new ConcurrentQueue<string>();
        string[] args = ["bench", "step", "--preset", preset.Name, "--batch", batch.ToString(CultureInfo.InvariantCulture), "--threads", "1",
            "--warmup", Warmup.ToString(CultureInfo.InvariantCulture), "--repeats", steps.ToString(CultureInfo.InvariantCulture), "--json"];
        var children = Enumerable.Range(0, count).Select(i => ChildProcess.Start($"single-{i}", args, (_, line) => lines.Enqueue(line))).ToList();
        try
        {
            await Task.WhenAll(children.Select(c => c.WaitForExitAsync(cancellationToken))).ConfigureAwait(false);
            if (children.FirstOrDefault(c => c.ExitCode != 0) is { } failed)
                throw new InvalidOperationException($"{failed.Name} exited with {failed.ExitCode}: {string.Join(Environment.NewLine, lines)}");
            var results = lines.Where(l => l.StartsWith('{')).Select(l => JsonSerializer.Deserialize<StepBenchResult>(l)!).ToList();
            if (results.Count != count) throw new InvalidOperationException($"expected {count} results, got {results.Count}: {string.Join(Environment.NewLine, lines)}");
            var slowestPerStep = Enumerable.Range(0, steps).Select(i => results.Max(r => r.Milliseconds![i])).ToList();
            return (results.Max(r => r.MedianMs) / 1000, BenchStatistics.Median(slowestPerStep) / 1000);
        }
        finally
        {
            foreach (var child in children) child.Dispose();
        }
    }

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
            return BenchStatistics.Median(seconds);
        }
        finally
        {
            set_num_threads(threads);
        }
    }
}
