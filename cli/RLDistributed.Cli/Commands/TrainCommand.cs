using System.CommandLine;
using RLDistributed.Cli.Hosting;
using RLDistributed.Cli.Training;
using RLDistributed.Core.Checkpoints;
using RLDistributed.Core.Data;
using RLDistributed.Core.Presets;
using RLDistributed.Worker.Collective;
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
        var bucketKib = CommonOptions.Positive<int>("--bucket-kib", "With --workers: gradient bucket size in KiB for the all-reduce (default 25600, 25 MiB; 4 .. 1048576)");
        var overlap = new Option<string>("--allreduce-overlap")
        {
            Description = "With --workers: all-reduce each gradient bucket while the backward computes the rest, true or false (default: the workers' Rld:Worker:AllReduceOverlap, false)",
        };
        overlap.OneOf("true", "false");
        var runId = new Option<string?>("--run-id") { Description = "Run id (default: <preset>-<UTC time>)" };
        var checkpointEvery = new Option<int?>("--checkpoint-every") { Description = "Save a checkpoint every N steps and after the last (0: only after the last; default 100)" };
        checkpointEvery.Validators.Add(r =>
        {
            if (OptionValues.TryGet<int?>(r, out var n) && n < 0) r.AddError($"--checkpoint-every must not be negative, got {n}");
        });
        var keep = CommonOptions.Positive<int>("--keep-checkpoints", "Keep the newest N checkpoints (default 3)");
        var resume = new Option<string?>("--resume")
        {
            Description = "Continue from the newest valid checkpoint in DIR (a checkpoint or a directory of them; default OUT/checkpoints)",
            Arity = ArgumentArity.ZeroOrOne,
        };

        var command = new Command("train", "Train a DRL model in one process, or on a local cluster with --workers N; writes model/, samples.png and metrics.jsonl under --out")
        {
            preset, data, steps, batch, learningRate, seed, output, threads, device, workers, transport, bucketKib, overlap, runId, checkpointEvery, keep, resume,
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
            var spec = new RunSpec { Preset = chosen, DataPath = parse.GetValue(data), ThreadsPerWorker = parse.GetValue(threads) };
            spec = spec with
            {
                CheckpointEvery = parse.GetValue(checkpointEvery) ?? spec.CheckpointEvery,
                KeepCheckpoints = parse.GetValue(keep) ?? spec.KeepCheckpoints,
                GradientBucketBytes = BucketBytes(parse.GetValue(bucketKib)),
            };
            if (parse.GetValue(workers) == 0)
                foreach (var clusterOnly in new Option[] { bucketKib, overlap })
                    if (parse.GetResult(clusterOnly) is { Implicit: false })
                        throw new CliUsageException(clusterOnly.Name, "applies to the all-reduce between workers: use it with --workers N");
            string? id = parse.GetValue(runId);
            var outputDirectory = parse.GetValue(output);
            VerifiedCheckpoint? resumeFrom = null;
            if (parse.GetResult(resume) is not null)
            {
                foreach (var fixedOption in new Option[] { preset, batch, learningRate, seed, runId, bucketKib })
                    if (parse.GetResult(fixedOption) is { Implicit: false })
                        throw new CliUsageException(fixedOption.Name, "cannot be combined with --resume: the checkpoint fixes the run (only --steps may change)");
                var root = parse.GetValue(resume) ?? Path.Combine(outputDirectory ?? Path.Combine("runs", chosen.Name), "checkpoints");
                resumeFrom = LocateCheckpoint(root);
                var saved = RunSpec.FromJson(resumeFrom.State.RunSpecJson);
                spec = saved with
                {
                    Preset = saved.Preset with { Training = saved.Preset.Training with { Steps = parse.GetValue(steps) ?? saved.Preset.Training.Steps } },
                    DataPath = parse.GetValue(data) ?? saved.DataPath,
                    ThreadsPerWorker = parse.GetValue(threads) ?? saved.ThreadsPerWorker,
                    CheckpointEvery = parse.GetValue(checkpointEvery) ?? saved.CheckpointEvery,
                    KeepCheckpoints = parse.GetValue(keep) ?? saved.KeepCheckpoints,
                };
                chosen = spec.Preset;
                id = resumeFrom.State.RunId;
                outputDirectory ??= Path.GetDirectoryName(ResumeLocator.RootOf(resumeFrom));
                AnsiConsole.MarkupLineInterpolated($"resuming run [blue]{id}[/] at step {resumeFrom.State.NextStep} of {chosen.Training.Steps} from [green]{resumeFrom.Directory}[/] (saved by {resumeFrom.State.WorldSize} worker(s))");
            }
            if (parse.GetValue(workers) > 0)
            {
                id ??= $"{chosen.Name}-{DateTime.UtcNow:yyyyMMdd-HHmmss}";
                var devices = TorchSetup.WorkerDevices(parse.GetValue(device)!, parse.GetValue(workers));
                return DistributedTrain.RunAsync(spec, id, parse.GetValue(workers), devices, parse.GetValue(transport)!,
                    outputDirectory ?? Path.Combine("runs", id), resumeFrom, parse.GetValue(overlap) is { } text ? bool.Parse(text) : null, cancellationToken);
            }
            var torchDevice = TorchSetup.Configure(parse.GetValue(device)!, parse.GetValue(threads));
            var dataset = OpenDataset(chosen, spec.DataPath);
            if (dataset.Count < chosen.Training.GlobalBatch)
                throw new CliUsageException("--batch", $"{chosen.Training.GlobalBatch} is larger than the data set ({dataset.Count} examples)");
            outputDirectory ??= Path.Combine("runs", chosen.Name);
            id ??= $"{chosen.Name}-{DateTime.UtcNow:yyyyMMdd-HHmmss}";
            return Task.FromResult(Run(spec, id, dataset, outputDirectory, torchDevice, resumeFrom, cancellationToken));
        });
        return command;
    }

    /// <summary>--bucket-kib in bytes, checked against the ring's bounds before any process starts.</summary>
    private static long? BucketBytes(int? kib)
    {
        if (kib is not { } value) return null;
        var bytes = value * 1024L;
        if (bytes is < RingAllReduceConstants.MinBucketBytes or > RingAllReduceConstants.MaxBucketBytes)
            throw new CliUsageException("--bucket-kib", $"{value} KiB lies outside {RingAllReduceConstants.MinBucketBytes / 1024} .. {RingAllReduceConstants.MaxBucketBytes / 1024} KiB");
        return bytes;
    }

    private static VerifiedCheckpoint LocateCheckpoint(string root)
    {
        var search = ResumeLocator.Locate(root);
        foreach (var skipped in search.Skipped)
            AnsiConsole.MarkupLineInterpolated($"[yellow]skipped checkpoint[/] {skipped.FilePath}: {skipped.Problem}");
        return search.Found ?? throw new CliUsageException("--resume", $"no valid checkpoint in {root}" + (search.Skipped.Count > 0 ? $" ({search.Skipped.Count} skipped, see above)" : ""));
    }

    private static int Run(RunSpec spec, string runId, IDataset dataset, string outputDirectory, TorchSharp.torch.Device device, VerifiedCheckpoint? resumeFrom, CancellationToken cancellationToken)
    {
        var preset = spec.Preset;
        var options = preset.Training;
        AnsiConsole.MarkupLineInterpolated(
            $"[bold]rld train[/] preset [blue]{preset.Name}[/], data [blue]{dataset.Name}[/] ({dataset.Count} examples), T = {options.Levels}, K = {options.LangevinSteps}, batch {options.GlobalBatch}, {options.Steps} steps, lr {options.LearningRate:g}, seed {options.Seed}, device {device}");
        var run = new TrainingRun(spec, runId, dataset, outputDirectory, device, resumeFrom);
        Core.Training.StepStatistics? last = null;
        try
        {
            AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(context =>
                {
                    var task = context.AddTask("training", maxValue: options.Steps);
                    task.Value = resumeFrom?.State.NextStep ?? 0;
                    ProgressTask? finalSamples = null;
                    last = run.Run(progress =>
                    {
                        task.Value = progress.Step;
                        task.Description = $"step {progress.Step}/{progress.TotalSteps}  {progress.StepsPerSecond:F1} steps/s  loss {progress.Statistics.Loss:+0.0000;-0.0000}";
                    }, cancellationToken, drawing =>
                    {
                        // A picture takes a minute or more for an image preset on a CPU: say so rather than sit at the last step.
                        var drawn = $"{Path.GetFileName(drawing.Path)}: {drawing.Count} samples, {drawing.Progress.LevelsDone}/{drawing.Progress.Levels} levels";
                        if (drawing.Path != run.FinalSamplesPath)
                        {
                            task.Description = $"step {task.Value}/{options.Steps}  drawing {drawn}";
                            return;
                        }
                        finalSamples ??= context.AddTask("samples", maxValue: drawing.Progress.Levels);
                        finalSamples.Value = drawing.Progress.LevelsDone;
                        finalSamples.Description = $"drawing {drawn}";
                    });
                });
        }
        catch (OperationCanceledException) when (run.Stopped is { } stop)
        {
            SayHowToContinue(stop, options.Steps, run.CheckpointDirectory);
            throw;
        }
        var loss = last is null ? "" : $"  final loss {last.Loss:F5}";
        AnsiConsole.MarkupLineInterpolated($"model: [green]{run.ModelDirectory}[/]  samples: [green]{run.FinalSamplesPath}[/]  checkpoints: [green]{run.CheckpointDirectory}[/]{loss}");
        return ExitCodes.Ok;
    }

    /// <summary>After Ctrl-C or SIGTERM: what was kept, and the command that continues the run.</summary>
    private static void SayHowToContinue(TrainingStop stop, long steps, string checkpoints)
    {
        if (stop.SaveProblem is { } problem)
            AnsiConsole.MarkupLineInterpolated($"[yellow]could not save a checkpoint of step {stop.Steps}: {problem}[/]");
        if (stop.CheckpointedSteps == 0)
            AnsiConsole.MarkupLineInterpolated($"stopped after step {stop.Steps} of {steps}, before any checkpoint: nothing to continue from");
        else
            AnsiConsole.MarkupLineInterpolated($"stopped after step {stop.Steps} of {steps}; checkpoint of step {stop.CheckpointedSteps} in [green]{checkpoints}[/]; continue with: rld train --resume {checkpoints}");
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
