using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using RLDistributed.Cli.Hosting;
using RLDistributed.Core.Data;
using RLDistributed.Core.Models;
using RLDistributed.Core.Presets;
using RLDistributed.Core.Training;
using Spectre.Console;

namespace RLDistributed.Cli.Commands;

/// <summary>
/// <c>rld bench step --preset NAME [--threads N]</c>: median milliseconds of one training iteration
/// (Langevin included) over repeated iterations after warm-up. A benchmark, never a timed test.
/// </summary>
public static class BenchCommand
{
    /// <summary>Builds the <c>bench</c> command and its subcommands.</summary>
    public static Command Create() => new("bench", "Benchmarks")
    {
        CreateStep(), AllReduceBenchCommand.Create(), DistributedBenchCommand.Create(), FaultBenchCommands.Recovery(), FaultBenchCommands.Checkpoint(),
        FaultBenchCommands.Langevin(), TelemetryBenchCommand.Create(), OverlapBenchCommand.Create(), SuiteBenchCommand.Create(),
    };

    private static Command CreateStep()
    {
        var preset = new Option<string>("--preset") { Description = $"Preset: {string.Join(", ", TrainingPresets.Names)}", DefaultValueFactory = _ => TrainingPresets.Default };
        var data = new Option<string?>("--data") { Description = "Data directory for image presets" };
        var batch = CommonOptions.Positive<int>("--batch", "Global batch (default: the preset's)");
        var warmup = new Option<int>("--warmup") { Description = "Untimed iterations first (JIT, allocator)", DefaultValueFactory = _ => 3 };
        var repeats = CommonOptions.Positive<int>("--repeats", "Timed iterations (default 10)");
        var threads = CommonOptions.Threads();
        var device = CommonOptions.Device();
        var json = new Option<bool>("--json") { Description = "Print one JSON line instead of the table (for scripts and rld bench distributed)" };
        var command = new Command("step", "Median time of one training iteration (Langevin included)") { preset, data, batch, warmup, repeats, threads, device, json };
        command.SetAction((parse, cancellationToken) =>
        {
            var name = parse.GetValue(preset)!;
            if (!TrainingPresets.Names.Contains(name)) throw new CliUsageException("--preset", $"'{name}' is not a preset; expected one of {string.Join(", ", TrainingPresets.Names)}");
            if (parse.GetValue(warmup) < 0) throw new CliUsageException("--warmup", "must not be negative");
            var chosen = TrainingPresets.Get(name);
            var options = chosen.Training with { GlobalBatch = parse.GetValue(batch) ?? chosen.Training.GlobalBatch };
            var torchDevice = TorchSetup.Configure(parse.GetValue(device)!, parse.GetValue(threads));
            IDataset dataset;
            try
            {
                dataset = DatasetCatalog.Open(chosen.Dataset, parse.GetValue(data), chosen.PadTo32, options.Seed);
            }
            catch (ArgumentException e)
            {
                throw new CliUsageException("--data", e.Message);
            }

            using var energy = EnergyModelFactory.Create(chosen.Model, options.Seed, torchDevice);
            using var ema = EnergyModelFactory.Create(chosen.Model, options.Seed, torchDevice);
            using var trainer = new Trainer(energy, ema, dataset, options, torchDevice);
            var timed = parse.GetValue(repeats) ?? 10;
            var milliseconds = new List<double>();
            for (var step = 0; step < parse.GetValue(warmup) + timed; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var clock = Stopwatch.StartNew();
                trainer.TrainStep(step, cancellationToken);
                if (step >= parse.GetValue(warmup)) milliseconds.Add(clock.Elapsed.TotalMilliseconds);
            }
            var inOrder = milliseconds.ToArray();
            milliseconds.Sort();
            var median = milliseconds.Count % 2 == 1 ? milliseconds[milliseconds.Count / 2] : (milliseconds[milliseconds.Count / 2 - 1] + milliseconds[milliseconds.Count / 2]) / 2;
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new StepBenchResult(name, options.GlobalBatch, TorchSharp.torch.get_num_threads(), timed, median, milliseconds[0], milliseconds[^1], inOrder, torchDevice.ToString())));
                return Task.FromResult(ExitCodes.Ok);
            }
            // threads: libtorch's CPU threads, which on a GPU only drive the host side.
            var table = new Table().AddColumns("preset", "device", "batch", "threads", "K", "timed", "median ms", "min ms", "max ms");
            table.AddRow(name, torchDevice.ToString(), options.GlobalBatch.ToString(), TorchSharp.torch.get_num_threads().ToString(), options.LangevinSteps.ToString(),
                timed.ToString(), median.ToString("F1"), milliseconds[0].ToString("F1"), milliseconds[^1].ToString("F1"));
            AnsiConsole.Write(table);
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }
}
