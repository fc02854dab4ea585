using RLDistributed.Cli.Hosting;
using RLDistributed.Core.Data;
using RLDistributed.Core.Presets;
using Spectre.Console;

namespace RLDistributed.Cli.Training;

/// <summary><c>rld train --workers N</c>: the run as a local cluster of real processes, with a progress bar.</summary>
public static class DistributedTrain
{
    /// <summary>Checks the spec, starts the cluster, shows progress; returns the exit code.</summary>
    /// <param name="workerDevices">Null: workers on the CPU (one per entry otherwise, see <see cref="WorkerDevices"/>).</param>
    public static async Task<int> RunAsync(RunSpec spec, string runId, int workers, IReadOnlyList<string>? workerDevices, string transport, string outputDirectory,
        Core.Checkpoints.VerifiedCheckpoint? resumeFrom, bool? allReduceOverlap, CancellationToken cancellationToken)
    {
        var options = spec.Preset.Training;
        if (options.GlobalBatch < workers)
            throw new CliUsageException("--workers", $"{workers} workers need a global batch of at least {workers} (it is {options.GlobalBatch})");
        // Fail here, before any process starts, if the data cannot be opened.
        try
        {
            DatasetCatalog.Open(spec.Preset.Dataset, spec.DataPath, spec.Preset.PadTo32, options.Seed);
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException("--data", e.Message);
        }
        // Several workers on one machine split the cores rather than each taking all of them (perf-notes.md).
        var threads = spec.ThreadsPerWorker ?? Math.Max(1, Environment.ProcessorCount / workers);
        spec = spec with { ThreadsPerWorker = threads };

        AnsiConsole.MarkupLineInterpolated(
            $"[bold]rld train[/] run [blue]{runId}[/]: {workers} workers ({threads} thread(s) each{(workerDevices is null ? "" : ", on " + string.Join(" ", workerDevices))}) over {transport}, preset [blue]{spec.Preset.Name}[/], batch {options.GlobalBatch}, {options.Steps} steps; output [green]{outputDirectory}[/]");
        var clusterOptions = new LocalClusterOptions(spec, runId, workers, transport, outputDirectory, threads)
        {
            CheckpointDirectory = resumeFrom is null ? null : ResumeLocator.RootOf(resumeFrom),
            Resume = resumeFrom is not null,
            WorkerDevices = workerDevices,
            // The workers' own setting (Rld:Worker:AllReduceOverlap) unless the command line chose.
            WorkerEnvironment = allReduceOverlap is { } overlap
                ? new Dictionary<string, string> { ["Rld__Worker__AllReduceOverlap"] = overlap ? "true" : "false" }
                : null,
        };
        var cluster = new LocalCluster(clusterOptions);
        var logPath = Path.Combine(outputDirectory, "cluster.log");
        Directory.CreateDirectory(outputDirectory);
        await using var logFile = new StreamWriter(logPath, append: resumeFrom is not null) { AutoFlush = true };
        var gate = new Lock();
        var code = 1;
        try
        {
            await AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask("starting", maxValue: options.Steps);
                    task.Value = resumeFrom?.State.NextStep ?? 0;
                    string? statusPage = null;
                    var finishingSaid = false;
                    code = await cluster.RunAsync(
                        line =>
                        {
                            lock (gate) logFile.WriteLine(line);
                            statusPage ??= CoordinatorAnnouncement.StatusPage(line);
                        },
                        status =>
                        {
                            task.Value = status.LastStep;
                            task.Description = ClusterProgressDescription.Of(status, options.Steps, spec.Preset.SampleCount, statusPage);
                            // Once, as a line: a log (no terminal) shows a finished bar no more, and the picture can take minutes.
                            if (!finishingSaid && ClusterProgressDescription.IsFinishing(status, options.Steps))
                            {
                                finishingSaid = true;
                                AnsiConsole.MarkupLineInterpolated($"all {options.Steps} steps done; rank 0 saves the model and draws {spec.Preset.SampleCount} samples (its levels are in {logPath})");
                            }
                        },
                        cancellationToken).ConfigureAwait(false);
                    if (code == 0) task.Value = options.Steps;
                }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            SayHowToContinue(options.Steps, workers, clusterOptions.Checkpoints);
            throw;
        }
        if (code == 0)
            AnsiConsole.MarkupLineInterpolated($"model: [green]{Path.Combine(outputDirectory, "model")}[/]  samples: [green]{Path.Combine(outputDirectory, "samples.png")}[/]  log: {logPath}");
        else
            AnsiConsole.MarkupLineInterpolated($"[red]the run failed[/]; see {logPath}");
        return code == 0 ? ExitCodes.Ok : ExitCodes.Failure;
    }

    /// <summary>
    /// After Ctrl-C or SIGTERM: the newest valid checkpoint on disk (what <c>--resume</c> takes; the coordinator's status,
    /// polled twice a second, can lag behind rank 0's last save) and the command that continues the run. The workers
    /// were stopped, so the steps after that checkpoint are trained again.
    /// </summary>
    private static void SayHowToContinue(long steps, int workers, string checkpoints)
    {
        var newest = Directory.Exists(checkpoints) ? ResumeLocator.Locate(checkpoints).Found : null;
        if (newest is null)
        {
            AnsiConsole.MarkupLine("stopped before any checkpoint: nothing to continue from");
            return;
        }
        AnsiConsole.MarkupLineInterpolated(
            $"stopped; newest checkpoint: step {newest.State.NextStep} of {steps} in [green]{checkpoints}[/]; continue with: rld train --workers {workers} --resume {checkpoints}");
    }
}
