using System.CommandLine;
using RLDistributed.Cli.Evaluation;
using RLDistributed.Cli.Hosting;
using RLDistributed.Core.Evaluation.LongRun;
using RLDistributed.Core.Imaging;
using Spectre.Console;

namespace RLDistributed.Cli.Commands;

/// <summary>
/// <c>rld eval longrun --checkpoint DIR --steps 10000</c>: level-0 Langevin chains far past training's K, from data
/// and from samples; prints energy, coordinate range and distance travelled over time, writes longrun.json and longrun.png.
/// </summary>
public static class LongRunCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var model = new ModelOptionSet();
        var steps = CommonOptions.InRange("--steps", "Langevin steps of every chain (default 10000)", 1, 10_000_000);
        var chains = CommonOptions.Positive<int>("--chains", "Chains per start (default 64)");
        var every = CommonOptions.Positive<int>("--every", "Record the statistics every N steps (default: steps/100)");
        var data = new Option<string?>("--data") { Description = "Image data directory (as for rld train)" };
        var output = new Option<string?>("--out") { Description = "Folder for longrun.json and longrun.png (default: the checkpoint's parent)" };

        var command = new Command("longrun", "Run long level-0 Langevin chains from data and from samples; report energy, range and distance over time")
        {
            steps, chains, every, data, output,
        };
        model.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var (torchDevice, loaded, network) = model.Open(parse);
            using var _ = loaded;
            var directory = parse.GetValue(model.Checkpoint)!;
            var stepCount = parse.GetValue(steps) ?? 10_000;
            var outputDirectory = parse.GetValue(output) ?? EvalCommand.RunDirectoryOf(directory);
            Directory.CreateDirectory(outputDirectory);
            var runs = LongRunEvaluation.Run(loaded, network, parse.GetValue(chains) ?? 64, stepCount, parse.GetValue(every) ?? Math.Max(1, stepCount / 100),
                parse.GetValue(model.NoiseScale) ?? 1.0, parse.GetValue(model.Seed) ?? loaded.Manifest.Training.Seed, parse.GetValue(data), torchDevice,
                line => AnsiConsole.MarkupLineInterpolated($"[grey]{line}[/]"), cancellationToken);

            var json = Path.Combine(outputDirectory, "longrun.json");
            var picture = Path.Combine(outputDirectory, "longrun.png");
            LongRunEvaluation.WriteJson(json, runs);
            EvaluationPlots.SaveLongRun(picture, runs);
            Print(runs);
            var modelMass = LongRunEvaluation.ModelModeMass(loaded, network, parse.GetValue(data), parse.GetValue(model.Seed) ?? loaded.Manifest.Training.Seed, torchDevice);
            if (modelMass is not null)
            {
                var modes = Path.Combine(outputDirectory, "longrun-modes.json");
                var shares = new LongRunModeShares(modelMass, runs.ToDictionary(pair => pair.Key, pair => pair.Value[^1].ModeShares ?? Array.Empty<double>()));
                shares.WriteJson(modes);
                shares.Print(AnsiConsole.Console);
                AnsiConsole.MarkupLineInterpolated($"wrote [green]{modes}[/]");
            }
            AnsiConsole.MarkupLineInterpolated($"wrote [green]{json}[/] and [green]{picture}[/]");
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    /// <summary>About ten rows per start: the first record, every tenth of the run, and the last.</summary>
    private static void Print(IReadOnlyDictionary<string, IReadOnlyList<LongRunRecord>> runs)
    {
        var table = new Table().Title("Level-0 long-run chains");
        var modes = runs.Values.Any(records => records.Any(r => r.ModesCovered is not null));
        string[] columns = ["start", "step", "mean log p̃", "min", "max", "outside [−1, 1]", "distance", .. modes ? new[] { "modes covered", "within 3 std" } : []];
        foreach (var column in columns) table.AddColumn(Markup.Escape(column));
        foreach (var (start, records) in runs)
        {
            var stride = Math.Max(1, (records.Count - 1) / 10);
            var shown = records.Where((_, i) => i % stride == 0 || i == records.Count - 1).Distinct();
            foreach (var r in shown)
                table.AddRow([start, r.Step.ToString(), r.MeanLogDensity.ToString("F2"), r.MinValue.ToString("F3"), r.MaxValue.ToString("F3"),
                    r.OutOfRangeShare.ToString("P2"), r.MeanDistance.ToString("F3"), .. modes ? new[] { r.ModesCovered?.ToString() ?? "", r.ShareNearModes?.ToString("P1") ?? "" } : []]);
        }
        AnsiConsole.Write(table);
    }
}
