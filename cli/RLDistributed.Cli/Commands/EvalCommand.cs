using System.CommandLine;
using RLDistributed.Cli.Evaluation;
using RLDistributed.Cli.Hosting;
using RLDistributed.Core.Evaluation.Likelihood;
using RLDistributed.Core.Evaluation.Quality;
using Spectre.Console;

namespace RLDistributed.Cli.Commands;

/// <summary>
/// <c>rld eval --checkpoint DIR</c>: sample quality and likelihood of a saved model, as a table and as eval.json
/// (the same figures); <c>rld eval longrun</c> is its subcommand for long chains.
/// </summary>
public static class EvalCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var model = new ModelOptionSet();
        var steps = EvaluationOptions.LangevinSteps();
        var count = CommonOptions.Positive<int>("--count", "Samples to draw (default 2000 for 2-D, 256 for images)");
        var testCount = CommonOptions.Positive<int>("--test-count", "Held-out examples scored and used as the MMD reference (default 2000 for 2-D, 256 for images)");
        var dataCount = CommonOptions.Positive<int>("--data-count", "Data images whose feature statistics FD and FID compare with (default 1000)");
        var distributions = CommonOptions.InRange("--ais-distributions", $"AIS intermediate distributions; 0 skips AIS (default {AisOptions.DefaultDistributions})", 0, 1_000_000);
        var chains = CommonOptions.InRange("--ais-chains", $"AIS chains (default {AisOptions.DefaultChains})", 2, 1_000_000);
        var data = new Option<string?>("--data") { Description = "Image data directory (as for rld train)" };
        var statsCache = new Option<string?>("--stats-cache") { Description = "Folder of cached data feature statistics (default ~/.cache/rld/feature-statistics)" };
        var output = new Option<string?>("--out") { Description = "Folder for eval.json and figures (default: the checkpoint's parent, the run directory)" };
        var inceptionWeights = InceptionWeightsOption.Create();

        var command = new Command("eval", "Evaluate a saved model: MMD and mode coverage (2-D) or FD-ResNet18 and FID (images), and test NLL by AIS")
        {
            count, testCount, dataCount, steps, distributions, chains, data, statsCache, output, inceptionWeights,
        };
        model.AddTo(command);
        command.Subcommands.Add(LongRunCommand.Create());
        command.Subcommands.Add(ProgressCommand.Create());
        command.SetAction((parse, cancellationToken) =>
        {
            var weights = InceptionWeightsOption.Resolve(parse.GetValue(inceptionWeights));
            var (torchDevice, loaded, network) = model.Open(parse);
            using var _ = loaded;
            var directory = parse.GetValue(model.Checkpoint)!;
            var images = loaded.Manifest.ExampleShape.Length == 3;
            var settings = new EvaluationSettings
            {
                SampleCount = parse.GetValue(count) ?? (images ? 256 : 2000),
                TestCount = parse.GetValue(testCount) ?? (images ? 256 : 2000),
                DataCount = parse.GetValue(dataCount) ?? 1000,
                Seed = parse.GetValue(model.Seed) ?? loaded.Manifest.Training.Seed,
                NoiseScale = parse.GetValue(model.NoiseScale) ?? 1.0,
                LangevinSteps = parse.GetValue(steps) ?? loaded.Manifest.Training.LangevinSteps,
                AisDistributions = parse.GetValue(distributions) ?? AisOptions.DefaultDistributions,
                AisChains = parse.GetValue(chains) ?? AisOptions.DefaultChains,
                DataPath = parse.GetValue(data),
                StatisticsCache = parse.GetValue(statsCache) ?? FeatureStatisticsCache.DefaultDirectory(),
                OutputDirectory = parse.GetValue(output) ?? RunDirectoryOf(directory),
                Threads = parse.GetValue(model.Threads) ?? 0,
                InceptionWeights = images ? weights : null,
            };
            Directory.CreateDirectory(settings.OutputDirectory);
            void Say(string line) => AnsiConsole.MarkupLineInterpolated($"[grey]{line}[/]");
            if (!images && weights is not null) Say("the Inception weights are not used: FID is for image models");
            var figures = images
                ? ImageModelEvaluation.Run(loaded, network, settings, torchDevice, Say, cancellationToken)
                : PointModelEvaluation.Run(loaded, network, settings, torchDevice, Say, cancellationToken);
            var report = new EvaluationReport(Path.GetFullPath(directory), loaded.Manifest.Dataset, loaded.Manifest.Step,
                model.NetworkName(parse), settings.SampleCount, figures);
            report.Print(AnsiConsole.Console);
            var json = Path.Combine(settings.OutputDirectory, "eval.json");
            report.WriteJson(json);
            AnsiConsole.MarkupLineInterpolated($"wrote [green]{json}[/]");
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    /// <summary>runs/ID/model → runs/ID: evaluation outputs sit beside the run's other files.</summary>
    public static string RunDirectoryOf(string checkpoint) =>
        Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(checkpoint))) ?? ".";
}
