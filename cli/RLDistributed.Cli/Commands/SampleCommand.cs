using System.CommandLine;
using RLDistributed.Cli.Hosting;
using RLDistributed.Core.Data;
using RLDistributed.Core.Evaluation;
using RLDistributed.Core.Imaging;
using RLDistributed.Core.Sampling;
using Spectre.Console;

namespace RLDistributed.Cli.Commands;

/// <summary>
/// <c>rld sample --checkpoint DIR --count N --out FILE.png</c>: progressive sampling from a saved model. Writes the
/// samples (a grid, or for 2-D a scatter over the learned density), the levels from noise to data beside them
/// (<c>FILE-levels.png</c>), and with <c>--npy</c> the samples as a NumPy array.
/// </summary>
public static class SampleCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var model = new ModelOptionSet();
        var count = CommonOptions.Positive<int>("--count", "Number of samples (default 64)");
        var output = new Option<string>("--out") { Description = "PNG file to write", Required = true };
        var npy = new Option<string?>("--npy") { Description = "Also write the samples as .npy (images: uint8 [N, H, W, C]; 2-D: float32 [N, 2])" };
        var steps = EvaluationOptions.LangevinSteps();

        var command = new Command("sample", "Draw samples from a saved model: x_T ~ N(0, I), then Langevin down every level")
        {
            count, output, npy, steps,
        };
        model.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var (torchDevice, loaded, network) = model.Open(parse);
            using var _ = loaded;
            var training = loaded.Manifest.Training;
            var options = new LangevinOptions { StepCount = parse.GetValue(steps) ?? training.LangevinSteps, NoiseScale = parse.GetValue(model.NoiseScale) ?? 1.0 };
            using var schedule = new Core.Diffusion.ScheduleTensors(loaded.Schedule, torchDevice);
            var sampleCount = parse.GetValue(count) ?? 64;
            var sampler = new ProgressiveSampler(schedule, options);
            SamplingResult? drawn = null;
            // Each level is a Langevin chain over every sample: minutes for many image samples on a CPU.
            AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(context =>
                {
                    var task = context.AddTask($"drawing {sampleCount} samples", maxValue: loaded.Schedule.Levels);
                    drawn = sampler.Sample(network, sampleCount, parse.GetValue(model.Seed) ?? training.Seed, torchDevice, keepLevels: true,
                        cancellationToken, progress =>
                        {
                            task.Value = progress.LevelsDone;
                            task.Description = $"drawing {sampleCount} samples: {progress.LevelsDone}/{progress.Levels} levels";
                        });
                });
            using var result = drawn!;

            var reference = ToyDatasets.IsToy(loaded.Manifest.Dataset) ? ToyDatasets.Create(loaded.Manifest.Dataset, 2000, training.Seed) : null;
            var path = parse.GetValue(output)!;
            SamplePictures.Write(path, result.Samples, network, loaded.Schedule, reference, torchDevice);
            var levelsPath = LevelsPath(path);
            TrajectoryPicture.SavePng(levelsPath, result.Levels!);
            AnsiConsole.MarkupLineInterpolated($"wrote {sampleCount} samples to [green]{path}[/] and the levels (noise → data) to [green]{levelsPath}[/]");
            if (parse.GetValue(npy) is { } arrayPath)
            {
                SampleArrays.WriteNpy(arrayPath, result.Samples);
                AnsiConsole.MarkupLineInterpolated($"wrote the samples as an array to [green]{arrayPath}[/]");
            }
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    /// <summary>samples.png → samples-levels.png, beside it.</summary>
    public static string LevelsPath(string path)
    {
        var directory = Path.GetDirectoryName(path) ?? "";
        return Path.Combine(directory, Path.GetFileNameWithoutExtension(path) + "-levels.png");
    }
}
