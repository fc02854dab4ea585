using System.Diagnostics;
using RLDistributed.Core.Checkpoints;
using RLDistributed.Core.Data;
using RLDistributed.Core.Models;
using RLDistributed.Core.Presets;
using RLDistributed.Core.Training;
using RLDistributed.Hosting.Telemetry;
using Spectre.Console;
using static TorchSharp.torch;

namespace RLDistributed.Cli.Training;

/// <summary>
/// One-process training in the nanoGPT style: log the options once, one loop, pictures and the model
/// under the output directory. Outputs: model/ (model.json, energy.bin, ema.bin), metrics.jsonl,
/// checkpoints/ (every spec.CheckpointEvery steps and after the last, written in the background),
/// samples-NNNNNNN.png during training and samples.png at the end. Started from a checkpoint, it continues
/// that run bit for bit.
/// </summary>
public sealed class TrainingRun(RunSpec spec, string runId, IDataset dataset, string outputDirectory, Device device, VerifiedCheckpoint? resumeFrom)
{
    private TrainingPreset Preset => spec.Preset;

    /// <summary>Where the model is saved.</summary>
    public string ModelDirectory => Path.Combine(outputDirectory, "model");

    /// <summary>The final sample picture.</summary>
    public string FinalSamplesPath => Path.Combine(outputDirectory, "samples.png");

    /// <summary>Where checkpoints go.</summary>
    public string CheckpointDirectory => Path.Combine(outputDirectory, "checkpoints");

    /// <summary>Set when a cancellation stopped the run: the steps finished, and the checkpoint saved for them.</summary>
    public TrainingStop? Stopped { get; private set; }

    /// <summary>The longest time one checkpoint held training up.</summary>
    public TimeSpan LongestCheckpointStall { get; private set; }

    /// <summary>Trains, reporting every step, and writes the outputs. Returns the last step's statistics (null when nothing was left to train).</summary>
    /// <param name="report">Called after every step.</param>
    /// <param name="cancellationToken">Stops training and sampling.</param>
    /// <param name="sampling">Called after each level of every sample picture drawn (an image preset's take minutes on a CPU).</param>
    public StepStatistics? Run(Action<TrainingProgress> report, CancellationToken cancellationToken, Action<SampleDrawingProgress>? sampling = null)
    {
        Directory.CreateDirectory(outputDirectory);
        var options = Preset.Training;
        using var energy = EnergyModelFactory.Create(Preset.Model, options.Seed, device);
        using var ema = EnergyModelFactory.Create(Preset.Model, options.Seed, device);
        using var trainer = new Trainer(energy, ema, dataset, options, device);
        var start = 0L;
        if (resumeFrom is not null)
        {
            resumeFrom.ReadSnapshot().RestoreInto(trainer, resumeFrom.Directory);
            start = resumeFrom.State.NextStep;
        }
        var writer = new BackgroundCheckpointWriter(new CheckpointStore(CheckpointDirectory, spec.KeepCheckpoints));
        // Resumed from a checkpoint older than the file's last line, the steps trained again replace theirs.
        using var metrics = new StepMetricsFile(outputDirectory, TimeProvider.System,
            reason => AnsiConsole.MarkupLineInterpolated($"[yellow]training goes on without metrics.jsonl: {reason}[/]"));

        var clock = Stopwatch.StartNew();
        StepStatistics? last = null;
        // Steps finished (the next step's index) and the last of them in a checkpoint: a stop keeps what lies between.
        var completed = start;
        var saved = start;
        try
        {
            for (var step = start; step < options.Steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                last = trainer.TrainStep(step, cancellationToken);
                metrics.Append(step + 1, last.Loss, [.. Enumerable.Range(0, options.Levels).Select(last.EnergyGap).Select(g => double.IsNaN(g) ? (double?)null : g)]);
                var next = step + 1;
                completed = next;
                if (next == options.Steps || (spec.CheckpointEvery > 0 && next % spec.CheckpointEvery == 0))
                {
                    var stall = writer.Save(() => CheckpointContents.Capture(trainer, next, runId, worldSize: 1, spec, dataset));
                    if (stall > LongestCheckpointStall) LongestCheckpointStall = stall;
                    saved = next;
                }
                report(new TrainingProgress(next, options.Steps, last, (next - start) / Math.Max(clock.Elapsed.TotalSeconds, 1e-9)));
                if (Preset.SampleEvery > 0 && next % Preset.SampleEvery == 0 && next < options.Steps)
                    WriteSamples(trainer, Path.Combine(outputDirectory, $"samples-{next:D7}.png"), sampling, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C or SIGTERM. Cancellation reaches only the Langevin chains, never the update, so the trainer holds
            // exactly the state after `completed` steps: saved, it resumes bit for bit, and the interrupted step is redone.
            var problem = completed > saved ? SaveOnStop(writer, trainer, completed) : null;
            Stopped = new TrainingStop(completed, problem is null ? completed : saved, problem);
            throw;
        }
        writer.Flush();

        TrainedModelWriter.SaveModel(outputDirectory, Preset, dataset, energy, ema, options.Steps);
        WriteSamples(trainer, FinalSamplesPath, sampling, cancellationToken);
        return last;
    }

    /// <summary>Saves the state after <paramref name="steps"/> steps and waits until it is durable; null when it is, else the problem.</summary>
    private string? SaveOnStop(BackgroundCheckpointWriter writer, Trainer trainer, long steps)
    {
        try
        {
            writer.Save(() => CheckpointContents.Capture(trainer, steps, runId, worldSize: 1, spec, dataset));
            writer.Flush();
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CheckpointException)
        {
            return e.Message;
        }
    }

    private void WriteSamples(Trainer trainer, string path, Action<SampleDrawingProgress>? sampling, CancellationToken cancellationToken) =>
        TrainedModelWriter.WriteSamples(path, Preset, dataset, trainer.Ema, trainer.Schedule, device, cancellationToken,
            sampling is null ? null : progress => sampling(new SampleDrawingProgress(path, Preset.SampleCount, progress)));
}
