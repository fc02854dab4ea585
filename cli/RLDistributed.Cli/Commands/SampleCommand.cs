using System.CommandLine;
using RLDistributed.Cli.Hosting;
using RLDistributed.Core.Checkpoints;
using RLDistributed.Core.Data;
using RLDistributed.Core.Diffusion;
using RLDistributed.Core.Imaging;
using RLDistributed.Core.Sampling;
using Spectre.Console;

namespace RLDistributed.Cli.Commands;

/// <summary><c>rld sample --checkpoint DIR --count N --out FILE.png</c>: progressive sampling from a saved model.</summary>
public static class SampleCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Model directory (holding model.json)", Required = true };
        var count = CommonOptions.Positive<int>("--count", "Number of samples (default 64)");
        var output = new Option<string>("--out") { Description = "PNG file to write", Required = true };
        var seed = CommonOptions.Seed();
        var noiseScale = new Option<double?>("--noise-scale") { Description = "Langevin noise scale λ (default 1.0; the paper's final samples use 0.99)" };
        noiseScale.Validators.Add(r =>
        {
            if (OptionValues.TryGet<double?>(r, out var value) && value is { } v && (v < 0 || v > 10)) r.AddError($"--noise-scale must be between 0 and 10, got {v}");
        });
        var raw = new Option<bool>("--raw") { Description = "Sample with the raw network instead of the EMA network" };
        var threads = CommonOptions.Threads();
        var device = CommonOptions.Device();

        var command = new Command("sample", "Draw samples from a saved model: x_T ~ N(0, I), then Langevin down every level")
        {
            checkpoint, count, output, seed, noiseScale, raw, threads, device,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var torchDevice = TorchSetup.Configure(parse.GetValue(device)!, parse.GetValue(threads));
            var directory = parse.GetValue(checkpoint)!;
            using var model = Load(directory, torchDevice);
            var training = model.Manifest.Training;
            var options = new LangevinOptions { StepCount = training.LangevinSteps, NoiseScale = parse.GetValue(noiseScale) ?? 1.0 };
            using var schedule = new ScheduleTensors(model.Schedule, torchDevice);
            var network = parse.GetValue(raw) ? model.Energy : model.Ema;
            var sampleCount = parse.GetValue(count) ?? 64;
            using var result = new ProgressiveSampler(schedule, options)
                .Sample(network, sampleCount, parse.GetValue(seed) ?? training.Seed, torchDevice, cancellationToken: cancellationToken);
            var reference = ToyDatasets.IsToy(model.Manifest.Dataset) ? ToyDatasets.Create(model.Manifest.Dataset, 2000, training.Seed) : null;
            var path = parse.GetValue(output)!;
            SamplePictures.Write(path, result.Samples, network, model.Schedule, reference, torchDevice);
            AnsiConsole.MarkupLineInterpolated($"wrote {sampleCount} samples to [green]{path}[/]");
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static LoadedModel Load(string directory, TorchSharp.torch.Device device)
    {
        try
        {
            return ModelStore.Load(directory, device);
        }
        catch (ModelStoreException e)
        {
            throw new CliUsageException("--checkpoint", e.Message);
        }
    }
}
