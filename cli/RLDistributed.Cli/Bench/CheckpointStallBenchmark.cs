using System.Diagnostics;
using RLDistributed.Core.Checkpoints;
using RLDistributed.Core.Data;
using RLDistributed.Core.Models;
using RLDistributed.Core.Presets;
using RLDistributed.Core.Training;
using static TorchSharp.torch;

namespace RLDistributed.Cli.Bench;

/// <summary>
/// Checkpoint stall: how long a save holds up training (the copy of the state to host memory, plus any wait
/// for the previous write), against the median step. Saves come every <c>interval</c> steps, so the background
/// write competes with training for the cores but normally finishes before the next save (a real run saves
/// every 100 steps).
/// </summary>
public static class CheckpointStallBenchmark
{
    /// <summary>Median step seconds without saving, median and largest stall per save, and the bytes per checkpoint.</summary>
    public static CheckpointStallResult Run(TrainingPreset preset, int batch, int steps, string scratchDirectory, CancellationToken cancellationToken, int interval = 5)
    {
        var options = preset.Training with { GlobalBatch = batch, Steps = steps + steps * interval + 2 };
        var dataset = DatasetCatalog.Open(preset.Dataset, null, preset.PadTo32, options.Seed);
        using var energy = EnergyModelFactory.Create(preset.Model, options.Seed, CPU);
        using var ema = EnergyModelFactory.Create(preset.Model, options.Seed, CPU);
        using var trainer = new Trainer(energy, ema, dataset, options, CPU);
        var spec = new RunSpec { Preset = preset with { Training = options } };
        trainer.TrainStep(0, cancellationToken); // warm-up
        var plain = new List<double>();
        for (var step = 1L; step <= steps; step++)
        {
            var clock = Stopwatch.StartNew();
            trainer.TrainStep(step, cancellationToken);
            plain.Add(clock.Elapsed.TotalSeconds);
        }
        var writer = new BackgroundCheckpointWriter(new CheckpointStore(scratchDirectory, keep: 2));
        var stalls = new List<double>();
        for (var step = steps + 1L; step <= steps + steps * interval; step++)
        {
            trainer.TrainStep(step, cancellationToken);
            var next = step + 1;
            if ((step - steps) % interval == 0)
                stalls.Add(writer.Save(() => CheckpointContents.Capture(trainer, next, "bench-checkpoint", 1, spec, dataset)).TotalSeconds);
        }
        writer.Flush();
        var latest = new CheckpointStore(scratchDirectory).FindLatestValid().Found ?? throw new InvalidOperationException("no checkpoint was written");
        return new CheckpointStallResult(preset.Name, batch, BenchStatistics.Median(plain), BenchStatistics.Median(stalls), stalls.Max(), latest.Manifest.Files.Sum(f => f.Size));
    }

}

/// <summary>One preset's checkpoint stall against its step.</summary>
public sealed record CheckpointStallResult(string Preset, int Batch, double StepSeconds, double MedianStallSeconds, double MaxStallSeconds, long CheckpointBytes)
{
    /// <summary>Median stall as a share of the median step.</summary>
    public double StallShare => MedianStallSeconds / StepSeconds;
}
