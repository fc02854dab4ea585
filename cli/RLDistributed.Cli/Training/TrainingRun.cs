using System.Diagnostics;
using System.Text.Json;
using RLDistributed.Core.Checkpoints;
using RLDistributed.Core.Data;
using RLDistributed.Core.Models;
using RLDistributed.Core.Presets;
using RLDistributed.Core.Training;
using static TorchSharp.torch;

namespace RLDistributed.Cli.Training;

/// <summary>
/// One-process training in the nanoGPT style: log the options once, one loop, pictures and the model
/// under the output directory. Outputs: model/ (model.json, energy.bin, ema.bin), metrics.jsonl,
/// samples-NNNNNNN.png during training and samples.png at the end.
/// </summary>
public sealed class TrainingRun(TrainingPreset preset, IDataset dataset, string outputDirectory, Device device)
{
    /// <summary>Where the model is saved.</summary>
    public string ModelDirectory => Path.Combine(outputDirectory, "model");

    /// <summary>The final sample picture.</summary>
    public string FinalSamplesPath => Path.Combine(outputDirectory, "samples.png");

    /// <summary>Trains, reporting every step, and writes the outputs. Returns the last step's statistics.</summary>
    public StepStatistics Run(Action<TrainingProgress> report, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(outputDirectory);
        var options = preset.Training;
        using var energy = EnergyModelFactory.Create(preset.Model, options.Seed, device);
        using var ema = EnergyModelFactory.Create(preset.Model, options.Seed, device);
        using var trainer = new Trainer(energy, ema, dataset, options, device);
        using var metrics = new StreamWriter(Path.Combine(outputDirectory, "metrics.jsonl"), append: false);

        var clock = Stopwatch.StartNew();
        StepStatistics? last = null;
        for (var step = 0L; step < options.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            last = trainer.TrainStep(step, cancellationToken);
            metrics.WriteLine(JsonSerializer.Serialize(new
            {
                step = step + 1,
                loss = last.Loss,
                energyGap = Enumerable.Range(0, options.Levels).Select(last.EnergyGap).Select(g => double.IsNaN(g) ? (double?)null : g),
                seconds = clock.Elapsed.TotalSeconds,
            }));
            report(new TrainingProgress(step + 1, options.Steps, last, (step + 1) / Math.Max(clock.Elapsed.TotalSeconds, 1e-9)));
            if (preset.SampleEvery > 0 && (step + 1) % preset.SampleEvery == 0 && step + 1 < options.Steps)
                WriteSamples(trainer, Path.Combine(outputDirectory, $"samples-{step + 1:D7}.png"), cancellationToken);
        }
        metrics.Flush();

        TrainedModelWriter.SaveModel(outputDirectory, preset, dataset, energy, ema, options.Steps);
        WriteSamples(trainer, FinalSamplesPath, cancellationToken);
        return last!;
    }

    private void WriteSamples(Trainer trainer, string path, CancellationToken cancellationToken) =>
        TrainedModelWriter.WriteSamples(path, preset, dataset, trainer.Ema, trainer.Schedule, device, cancellationToken);
}
