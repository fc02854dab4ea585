using System.Diagnostics;
using RLDistributed.Core.Diffusion;
using RLDistributed.Core.Models;
using RLDistributed.Core.Presets;
using RLDistributed.Core.Sampling;
using static TorchSharp.torch;

namespace RLDistributed.Cli.Bench;

/// <summary>
/// Langevin sampling throughput of a preset's network: chains of K steps at level 0 on a batch of examples,
/// images (or points) per second = batch / chain time, median over repeats after one warm-up chain.
/// </summary>
public static class LangevinThroughputBenchmark
{
    /// <summary>Times the chains; torch uses the threads already configured.</summary>
    public static LangevinThroughputResult Run(TrainingPreset preset, int batch, int repeats, CancellationToken cancellationToken)
    {
        var options = preset.Training;
        using var energy = EnergyModelFactory.Create(preset.Model, options.Seed, CPU);
        using var schedule = new ScheduleTensors(DiffusionSchedule.Create(options.Levels, options.StepSizeBSquared), CPU);
        var sampler = new LangevinSampler(schedule, new LangevinOptions { StepCount = options.LangevinSteps, NoiseScale = options.NoiseScale });
        var shape = new long[] { batch }.Concat(energy.ExampleShape).ToArray();
        var seconds = new List<double>();
        for (var i = 0; i <= repeats; i++)
        {
            using var scope = NewDisposeScope();
            var start = randn(shape);
            var levels = zeros(batch, dtype: ScalarType.Int64);
            var clock = Stopwatch.StartNew();
            sampler.Run(energy, start, levels, _ => randn(shape), cancellationToken);
            if (i > 0) seconds.Add(clock.Elapsed.TotalSeconds);
        }
        var median = BenchStatistics.Median(seconds);
        return new LangevinThroughputResult(preset.Name, batch, options.LangevinSteps, median, batch / median);
    }
}

/// <summary>One preset's chain: batch, K, median seconds per chain and examples per second.</summary>
public sealed record LangevinThroughputResult(string Preset, int Batch, int Steps, double ChainSeconds, double ExamplesPerSecond);
