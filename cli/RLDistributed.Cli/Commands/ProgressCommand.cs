using System.CommandLine;
using RLDistributed.Cli.Evaluation;
using RLDistributed.Cli.Hosting;
using RLDistributed.Core.Checkpoints;
using RLDistributed.Core.Evaluation.Quality;
using RLDistributed.Core.Imaging;
using Spectre.Console;

namespace RLDistributed.Cli.Commands;

/// <summary>
/// <c>rld eval progress --checkpoints DIR</c>: how sample quality moved over a run, from its kept checkpoints:
/// a table, progress.json, progress.png (the metric against the step) and progress-samples.png (one row of
/// samples per checkpoint, drawn with the same noise).
/// </summary>
public static class ProgressCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var checkpoints = new Option<string>("--checkpoints") { Description = "A run's checkpoint folder (e.g. runs/fashion-mnist/checkpoints)", Required = true };
        var count = CommonOptions.Positive<int>("--count", "Samples drawn from every checkpoint (default 256 for images, 2000 for 2-D)");
        var dataCount = CommonOptions.Positive<int>("--data-count", "Data images whose ResNet18 statistics FD compares with (default 1000)");
        var every = CommonOptions.Positive<long>("--every", "Measure only the checkpoints whose step is a multiple of N, and the newest (default: every kept checkpoint)");
        var columns = CommonOptions.InRange("--columns", "Samples per checkpoint in progress-samples.png (default 12)", 1, 64);
        var steps = EvaluationOptions.LangevinSteps();
        var data = new Option<string?>("--data") { Description = "Image data directory (as for rld train)" };
        var statsCache = new Option<string?>("--stats-cache") { Description = "Folder of cached data feature statistics (default ~/.cache/rld/feature-statistics)" };
        var output = new Option<string?>("--out") { Description = "Folder for progress.json and the pictures (default: the checkpoint folder's parent, the run directory)" };
        var seed = CommonOptions.Seed();
        var noiseScale = EvaluationOptions.NoiseScale();
        var raw = new Option<bool>("--raw") { Description = "Use the raw trained networks instead of the EMA networks" };
        var threads = CommonOptions.Threads();
        var device = CommonOptions.Device();

        var command = new Command("progress", "Sample quality of every kept checkpoint of a run (FD-ResNet18 for images, MMD² for 2-D), as a table and pictures")
        {
            checkpoints, every, count, dataCount, columns, steps, data, statsCache, output, seed, noiseScale, raw, threads, device,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var folder = parse.GetValue(checkpoints)!;
            if (!Directory.Exists(folder)) throw new CliUsageException("--checkpoints", $"{folder}: no such directory");
            var (valid, skipped) = new CheckpointStore(folder).ListVerified();
            foreach (var bad in skipped) AnsiConsole.MarkupLineInterpolated($"[yellow]skipped {bad.FilePath}: {bad.Problem}[/]");
            if (valid.Count == 0) throw new CliUsageException("--checkpoints", $"{folder}: no valid checkpoint (step-N folders with a verified manifest)");
            if (parse.GetValue(every) is { } interval)
                valid = valid.Where((c, i) => c.State.NextStep % interval == 0 || i == valid.Count - 1).ToList();

            var torchDevice = TorchSetup.Configure(parse.GetValue(device)!, parse.GetValue(threads));
            var settings = new ProgressSettings
            {
                SampleCount = parse.GetValue(count),
                DataCount = parse.GetValue(dataCount) ?? 1000,
                PictureColumns = parse.GetValue(columns) ?? 12,
                Seed = parse.GetValue(seed),
                NoiseScale = parse.GetValue(noiseScale) ?? 1.0,
                LangevinSteps = parse.GetValue(steps),
                UseRawNetwork = parse.GetValue(raw),
                DataPath = parse.GetValue(data),
                StatisticsCache = parse.GetValue(statsCache) ?? FeatureStatisticsCache.DefaultDirectory(),
                Threads = parse.GetValue(threads) ?? 0,
            };
            var outputDirectory = parse.GetValue(output) ?? EvalCommand.RunDirectoryOf(folder);
            Directory.CreateDirectory(outputDirectory);

            var evaluation = new TrainingProgressEvaluation(settings, torchDevice, line => AnsiConsole.MarkupLineInterpolated($"[grey]{line}[/]"));
            var (points, picture) = evaluation.Run(valid, cancellationToken);
            using var _ = picture;
            Print(points);
            var json = Path.Combine(outputDirectory, "progress.json");
            var plot = Path.Combine(outputDirectory, "progress.png");
            TrainingProgressEvaluation.WriteJson(json, points);
            EvaluationPlots.SaveProgress(plot, points[0].Metric, points.Select(p => (p.Step, p.Value, p.ModesCovered)).ToList());
            if (picture.dim() == 4)
            {
                var grid = Path.Combine(outputDirectory, "progress-samples.png");
                ImageGrid.SavePng(picture, grid, columns: (int)(picture.shape[0] / points.Count));
                AnsiConsole.MarkupLineInterpolated($"wrote [green]{grid}[/] (one row per checkpoint, oldest at the top)");
            }
            AnsiConsole.MarkupLineInterpolated($"wrote [green]{json}[/] and [green]{plot}[/]");
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static void Print(IReadOnlyList<ProgressPoint> points)
    {
        var table = new Table().Title("Sample quality by checkpoint");
        var modes = points.Any(p => p.ModesCovered is not null);
        string[] columns = ["step", points[0].Metric, .. modes ? new[] { "modes covered" } : [], "seconds"];
        foreach (var column in columns) table.AddColumn(Markup.Escape(column));
        foreach (var p in points)
            table.AddRow([p.Step.ToString(), p.Value.ToString("G4"), .. modes ? new[] { p.ModesCovered?.ToString() ?? "" } : [], p.Seconds.ToString("F0")]);
        AnsiConsole.Write(table);
    }
}
