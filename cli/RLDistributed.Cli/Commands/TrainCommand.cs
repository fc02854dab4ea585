using System.CommandLine;
using RLDistributed.Cli.Hosting;
using RLDistributed.Cli.Training;
using RLDistributed.Core.Data;
using RLDistributed.Core.Presets;
using Spectre.Console;

namespace RLDistributed.Cli.Commands;

/// <summary><c>rld train --preset NAME …</c>: trains in one process (the N = 1 case of a distributed run).</summary>
public static class TrainCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var preset = new Option<string>("--preset")
        {
            Description = $"Preset: {string.Join(", ", TrainingPresets.Names)}",
            DefaultValueFactory = _ => TrainingPresets.Default,
        };
        preset.Validators.Add(r =>
        {
            var name = r.GetValueOrDefault<string>();
            if (!TrainingPresets.Names.Contains(name)) r.AddError($"--preset '{name}' is not a preset; expected one of {string.Join(", ", TrainingPresets.Names)}");
        });
        var data = new Option<string?>("--data") { Description = "Data directory (mnist, cifar10; fashion-mnist defaults to the Debian package's)" };
        var steps = CommonOptions.Positive<long>("--steps", "Training steps (overrides the preset)");
        var batch = CommonOptions.Positive<int>("--batch", "Global batch (overrides the preset)");
        var learningRate = CommonOptions.Positive<double>("--lr", "Adam learning rate (overrides the preset)");
        var seed = CommonOptions.Seed();
        var output = new Option<string?>("--out") { Description = "Output directory (default runs/<preset>)" };
        var threads = CommonOptions.Threads();
        var device = CommonOptions.Device();
        var workers = new Option<int>("--workers") { Description = "Run as a local cluster: a coordinator and N worker processes on 127.0.0.1 (0: one process)", DefaultValueFactory = _ => 0 };
        workers.Validators.Add(r =>
        {
            if (OptionValues.TryGet<int>(r, out var n) && (n < 0 || n > 64)) r.AddError($"--workers must be between 0 and 64, got {n}");
        });
        var transport = new Option<string>("--transport") { Description = "Gradient data plane between workers: tcp (default) or grpc", DefaultValueFactory = _ => "tcp" };
        transport.OneOf("tcp", "grpc");
        var runId = new Option<string?>("--run-id") { Description = "Run id (default: <preset>-<UTC time>)" };

        var command = new Command("train", "Train a DRL model in one process; writes model/, samples.png and metrics.jsonl under --out")
        {
            preset, data, steps, batch, learningRate, seed, output, threads, device, workers, transport, runId,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var chosen = TrainingPresets.Get(parse.GetValue(preset)!);
            var training = chosen.Training with
            {
                Steps = parse.GetValue(steps) ?? chosen.Training.Steps,
                GlobalBatch = parse.GetValue(batch) ?? chosen.Training.GlobalBatch,
                LearningRate = parse.GetValue(learningRate) ?? chosen.Training.LearningRate,
                Seed = parse.GetValue(seed) ?? chosen.Training.Seed,
            };
            chosen = chosen with { Training = training };
            if (parse.GetValue(workers) > 0)
            {
                var id = parse.GetValue(runId) ?? $"{chosen.Name}-{DateTime.UtcNow:yyyyMMdd-HHmmss}";
                var spec = new RunSpec { Preset = chosen, DataPath = parse.GetValue(data), ThreadsPerWorker = parse.GetValue(threads) };
                return DistributedTrain.RunAsync(spec, id, parse.GetValue(workers), parse.GetValue(transport)!,
                    parse.GetValue(output) ?? Path.Combine("runs", id), cancellationToken);
            }
            var torchDevice = TorchSetup.Configure(parse.GetValue(device)!, parse.GetValue(threads));
            var dataset = OpenDataset(chosen, parse.GetValue(data));
            if (dataset.Count < training.GlobalBatch)
                throw new CliUsageException("--batch", $"{training.GlobalBatch} is larger than the data set ({dataset.Count} examples)");
            var outputDirectory = parse.GetValue(output) ?? Path.Combine("runs", chosen.Name);
            return Task.FromResult(Run(chosen, dataset, outputDirectory, torchDevice, cancellationToken));
        });
        return command;
    }

    private static int Run(TrainingPreset preset, IDataset dataset, string outputDirectory, TorchSharp.torch.Device device, CancellationToken cancellationToken)
    {
        var options = preset.Training;
        AnsiConsole.MarkupLineInterpolated(
            $"[bold]rld train[/] preset [blue]{preset.Name}[/], data [blue]{dataset.Name}[/] ({dataset.Count} examples), T = {options.Levels}, K = {options.LangevinSteps}, batch {options.GlobalBatch}, {options.Steps} steps, lr {options.LearningRate:g}, seed {options.Seed}, device {device}");
        var run = new TrainingRun(preset, dataset, outputDirectory, device);
        Core.Training.StepStatistics? last = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask("training", maxValue: options.Steps);
                last = run.Run(progress =>
                {
                    task.Value = progress.Step;
                    task.Description = $"step {progress.Step}/{progress.TotalSteps}  {progress.StepsPerSecond:F1} steps/s  loss {progress.Statistics.Loss:+0.0000;-0.0000}";
                }, cancellationToken);
            });
        AnsiConsole.MarkupLineInterpolated($"model: [green]{run.ModelDirectory}[/]  samples: [green]{run.FinalSamplesPath}[/]  final loss {last!.Loss:F5}");
        return ExitCodes.Ok;
    }

    private static IDataset OpenDataset(TrainingPreset preset, string? path)
    {
        try
        {
            return DatasetCatalog.Open(preset.Dataset, path, preset.PadTo32, preset.Training.Seed);
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException("--data", e.Message);
        }
    }
}
