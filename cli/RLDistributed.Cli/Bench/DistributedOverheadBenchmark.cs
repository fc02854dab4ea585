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
    /// <summary>Runs the single process, then <paramref name="rounds"/> rounds of the control and the cluster.</summary>
    /// <param name="warmup">Untimed steps before the timed ones, the same for all three; null: <see cref="ClusterWarmup.Steps"/>.</param>
    public static async Task<DistributedOverheadResult> RunAsync(TrainingPreset preset, int workers, int perWorkerBatch, int steps, int rounds,
        string scratchDirectory, CancellationToken cancellationToken, int? warmup = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        var untimed = warmup ?? ClusterWarmup.Steps(preset);
        ArgumentOutOfRangeException.ThrowIfNegative(untimed);
        var single = SingleProcess(preset, perWorkerBatch, untimed, steps, cancellationToken);
        var results = new List<DistributedOverheadRound>();
        for (var round = 0; round < rounds; round++)
        {
            // Which goes first alternates, so that a drift of the machine within a round does not favour either.
            double concurrent = 0, synchronised = 0, cluster = 0;
            for (var part = 0; part < 2; part++)
            {
                if ((part + round) % 2 == 0)
                    (concurrent, synchronised) = await ConcurrentSingleProcessesAsync(preset, workers, perWorkerBatch, untimed, steps, cancellationToken).ConfigureAwait(false);
                else
                    cluster = await ClusterAsync(preset, workers, perWorkerBatch, steps, Path.Combine(scratchDirectory, $"round-{round}"), cancellationToken, untimed).ConfigureAwait(false);
            }
            results.Add(new DistributedOverheadRound(concurrent, synchronised, cluster));
        }
        return new DistributedOverheadResult(single, results);
    }

    /// <summary>
    /// N one-thread workers, per-worker batch B: per step the slowest rank's step time as the coordinator combines the
    /// reports, the median over the S steps after the warm-up. The run goes on for a few untimed steps after them, so
    /// that the coordinator's status, polled every half second, has shown every timed step before the run ends.
    /// </summary>
    internal static async Task<double> ClusterAsync(TrainingPreset preset, int workers, int perWorkerBatch, int steps, string scratchDirectory, CancellationToken cancellationToken,
        int? warmupSteps = null)
    {
        var warmup = warmupSteps ?? ClusterWarmup.Steps(preset);
        var clusterPreset = preset with { Training = preset.Training with { GlobalBatch = perWorkerBatch * workers, Steps = warmup + steps + ClusterWarmup.CoolDownSteps(preset) } };
        var spec = new RunSpec { Preset = clusterPreset, ThreadsPerWorker = 1, CheckpointEvery = 0 };
        var cluster = new LocalCluster(new LocalClusterOptions(spec, $"bench-overhead-{Environment.ProcessId}", workers, "tcp", scratchDirectory, 1));
        var seen = new ConcurrentDictionary<long, double>();
        var code = await cluster.RunAsync(_ => { }, status =>
        {
            foreach (var recent in status.RecentSteps) seen[recent.Step] = recent.Seconds;
        }, cancellationToken).ConfigureAwait(false);
        if (code != 0) throw new InvalidOperationException($"the benchmark cluster failed; see {Path.Combine(scratchDirectory, "cluster.log")}");
        // Steps the coordinator did not combine (reports dropped while it was unreachable) are missing.
        var timed = seen.Where(s => s.Key > warmup && s.Key <= warmup + steps).Select(s => s.Value).ToArray();
        if (timed.Length < steps / 2)
            throw new InvalidOperationException($"the coordinator combined {timed.Length} of the {steps} timed steps; see {Path.Combine(scratchDirectory, "cluster.log")}");
        return BenchStatistics.Median(timed);
    }

    /// <summary>
    /// N <c>rld bench step --threads 1</c> processes at once: the slowest one's median step, and the median over steps
    /// of the slowest process at each step (the i-th timed iterations of the processes, paired).
    /// </summary>
    private static async Task<(double SlowestMedian, double MedianOfSlowest)> ConcurrentSingleProcessesAsync(TrainingPreset preset, int count, int batch, int warmup, int steps, CancellationToken cancellationToken)
    {
        var lines = new ConcurrentQueue<string>();
        string[] args = ["bench", "step", "--preset", preset.Name, "--batch", batch.ToString(CultureInfo.InvariantCulture), "--threads", "1",
            "--warmup", warmup.ToString(CultureInfo.InvariantCulture), "--repeats", steps.ToString(CultureInfo.InvariantCulture), "--json"];
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

    private static double SingleProcess(TrainingPreset preset, int batch, int warmup, int steps, CancellationToken cancellationToken)
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
            for (var step = 0; step < warmup + steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var clock = Stopwatch.StartNew();
                trainer.TrainStep(step, cancellationToken);
                if (step >= warmup) seconds.Add(clock.Elapsed.TotalSeconds);
            }
            return BenchStatistics.Median(seconds);
        }
        finally
        {
            set_num_threads(threads);
        }
    }
}
