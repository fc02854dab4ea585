using System.CommandLine;
using RLDistributed.Cli.Evaluation;
using RLDistributed.Cli.Hosting;
using RLDistributed.Core.Checkpoints;
using RLDistributed.Core.Evaluation;
using RLDistributed.Core.Imaging;
using Spectre.Console;

namespace RLDistributed.Cli.Commands;

/// <summary>
/// <c>rld plot RUN_DIR</c>: the figures of a run from what it holds: training curves from metrics.jsonl, the learned
/// density of every level for a 2-D model/, and the long-run statistics from longrun.json.
/// </summary>
public static class PlotCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var run = new Argument<string>("RUN_DIR") { Description = "A run directory (as rld train writes: metrics.jsonl, model/)" };
        var device = CommonOptions.Device();
        var command = new Command("plot", "Draw a run's figures: training curves, 2-D densities by level, long-run statistics") { run, device };
        command.SetAction((parse, _) =>
        {
            var directory = parse.GetValue(run)!;
            if (!Directory.Exists(directory)) throw new CliUsageException("RUN_DIR", $"'{directory}' is not a directory");
            var written = new List<string>();
            var modelDirectory = Path.Combine(directory, "model");
            using var model = File.Exists(Path.Combine(modelDirectory, ModelStore.ManifestFile))
                ? EvaluationOptions.LoadModel(modelDirectory, TorchSetup.Configure(parse.GetValue(device)!, null))
                : null;

            var metrics = Path.Combine(directory, "metrics.jsonl");
            if (File.Exists(metrics))
            {
                var rows = ReadMetrics(metrics);
                if (rows.Count > 0)
                    written.Add(Save(Path.Combine(directory, "training-curves.png"), path => EvaluationPlots.SaveTrainingCurves(path, rows, model?.Schedule.Weight)));
            }
            if (model is not null && model.Manifest.ExampleShape is [2])
            {
                var grids = Enumerable.Range(0, model.Schedule.Levels)
                    .Select(t => LevelDensities.Grid(model.Ema, model.Schedule, t, extent: 1.5, points: 150, TorchSharp.torch.CPU)).ToArray();
                written.Add(Save(Path.Combine(directory, "densities.png"), path => EvaluationPlots.SaveDensities(path, grids, extent: 1.5)));
            }
            var longRun = Path.Combine(directory, "longrun.json");
            if (File.Exists(longRun))
                written.Add(Save(Path.Combine(directory, "longrun.png"), path => EvaluationPlots.SaveLongRun(path, LongRunEvaluation.ReadJson(longRun))));

            if (written.Count == 0)
                throw new CliUsageException("RUN_DIR", $"'{directory}' has nothing to draw (no metrics.jsonl, 2-D model/ or longrun.json)");
            foreach (var path in written) AnsiConsole.MarkupLineInterpolated($"wrote [green]{path}[/]");
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static IReadOnlyList<TrainingMetricsRow> ReadMetrics(string path)
    {
        try
        {
            return TrainingMetrics.Read(path);
        }
        catch (FormatException e)
        {
            throw new CliUsageException("RUN_DIR", e.Message);
        }
    }

    private static string Save(string path, Action<string> draw)
    {
        draw(path);
        return path;
    }
}
