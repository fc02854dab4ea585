using System.CommandLine;
using System.Text.Json;
using RLDistributed.Cli.Bench;
using RLDistributed.Cli.Hosting;
using RLDistributed.Core.Presets;
using Spectre.Console;

namespace RLDistributed.Cli.Commands;

/// <summary><c>rld bench recovery</c> and <c>rld bench checkpoint</c>: the fault-tolerance benchmarks of design.md.</summary>
public static class FaultBenchCommands
{
    /// <summary>Kill → detection and kill → next completed step, over repeated kills.</summary>
    public static Command Recovery()
    {
        var workers = new Option<int>("--workers") { Description = "Workers before the kill", DefaultValueFactory = _ => 3 };
        var batch = new Option<int>("--batch") { Description = "Global batch (toy2d)", DefaultValueFactory = _ => 1536 };
        var repeats = new Option<int>("--repeats") { Description = "Kills (each in a fresh cluster)", DefaultValueFactory = _ => 3 };
        var output = OutputOption();
        var command = new Command("recovery", "Time from a worker's SIGKILL to its detection and to the next completed step") { workers, batch, repeats, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(workers) is < 2 or > 16) throw new CliUsageException("--workers", "must be between 2 and 16");
            if (parse.GetValue(repeats) is < 1 or > 100) throw new CliUsageException("--repeats", "must be between 1 and 100");
            if (parse.GetValue(batch) < parse.GetValue(workers)) throw new CliUsageException("--batch", "must be at least the number of workers");
            var results = new List<RecoveryResult>();
            for (var i = 0; i < parse.GetValue(repeats); i++)
            {
                var scratch = Directory.CreateTempSubdirectory("rld-bench-recovery-").FullName;
                try
                {
                    var result = await RecoveryBenchmark.RunOnceAsync(parse.GetValue(workers), parse.GetValue(batch), scratch, cancellationToken);
                    results.Add(result);
                    AnsiConsole.MarkupLineInterpolated($"kill {i + 1}: detected after [bold]{result.DetectionSeconds:F2} s[/], next step after [bold]{result.NextStepSeconds:F2} s[/] (step before: {result.StepSecondsBefore * 1000:F0} ms)");
                }
                finally
                {
                    Directory.Delete(scratch, recursive: true);
                }
            }
            var detection = BenchStatistics.Median(results.Select(r => r.DetectionSeconds));
            var nextStep = BenchStatistics.Median(results.Select(r => r.NextStepSeconds));
            AnsiConsole.MarkupLineInterpolated($"median: detection [bold]{detection:F2} s[/] (target ≤ 3 s), next completed step [bold]{nextStep:F2} s[/] (target ≤ 10 s)");
            var path = await WriteAsync(parse.GetValue(output)!, "recovery", new
            {
                benchmark = "recovery",
                method = "local cluster of N toy2d workers (1 torch thread each, tcp) with heartbeats every 1 s; after 30 combined steps worker 1 gets SIGKILL; "
                    + "the coordinator's status is polled every 10 ms: detection = first status with a membership change, next step = first status of a newer "
                    + "generation whose last combined step is beyond the one before the kill; each kill in a fresh cluster",
                workers = parse.GetValue(workers), batch = parse.GetValue(batch), machine = Machine(), utc = DateTime.UtcNow,
                medianDetectionSeconds = detection, medianNextStepSeconds = nextStep, kills = results,
            }, cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"results: [green]{path}[/]");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>How long a checkpoint holds up training, per preset.</summary>
    public static Command Checkpoint()
    {
        var presets = new Option<string[]>("--presets") { Description = "Presets to measure", DefaultValueFactory = _ => ["toy2d", "fashion-mnist"], AllowMultipleArgumentsPerToken = true };
        var batch = new Option<int?>("--batch") { Description = "Global batch (default: toy2d 1024, image presets 16)" };
        var steps = new Option<int>("--steps") { Description = "Steps timed without and then with a save after each", DefaultValueFactory = _ => 5 };
        var output = OutputOption();
        var command = new Command("checkpoint", "Checkpoint stall per save against the step time") { presets, batch, steps, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var names = parse.GetValue(presets)!;
            foreach (var name in names)
                if (!TrainingPresets.Names.Contains(name)) throw new CliUsageException("--presets", $"'{name}' is not a preset; expected one of {string.Join(", ", TrainingPresets.Names)}");
            if (parse.GetValue(steps) is < 2 or > 1000) throw new CliUsageException("--steps", "must be between 2 and 1000");
            var results = new List<CheckpointStallResult>();
            foreach (var name in names)
            {
                var preset = TrainingPresets.Get(name);
                var scratch = Directory.CreateTempSubdirectory("rld-bench-checkpoint-").FullName;
                try
                {
                    var size = parse.GetValue(batch) ?? (preset.Dataset.StartsWith("toy", StringComparison.Ordinal) || name == "toy2d" ? 1024 : 16);
                    results.Add(CheckpointStallBenchmark.Run(preset, size, parse.GetValue(steps), scratch, cancellationToken));
                }
                finally
                {
                    Directory.Delete(scratch, recursive: true);
                }
            }
            var table = new Table().AddColumns("preset", "batch", "checkpoint", "median step", "median stall", "max stall", "stall / step");
            foreach (var r in results)
                table.AddRow(r.Preset, r.Batch.ToString(), $"{r.CheckpointBytes / 1048576.0:F1} MiB", $"{r.StepSeconds * 1000:F1} ms", $"{r.MedianStallSeconds * 1000:F2} ms",
                    $"{r.MaxStallSeconds * 1000:F2} ms", $"{r.StallShare:P2}");
            AnsiConsole.Write(table);
            var path = await WriteAsync(parse.GetValue(output)!, "checkpoint", new
            {
                benchmark = "checkpoint-stall",
                method = "one process, torch on all cores; median of S steps without saving, then S·5 steps with a save every 5; stall = time the training "
                    + "thread spends in the save (host copy of network, EMA and Adam state, plus waiting for the previous background write)",
                machine = Machine(), utc = DateTime.UtcNow, results,
            }, cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"results: [green]{path}[/]");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Langevin chain throughput of a preset's network (printed only; the suite records it).</summary>
    public static Command Langevin()
    {
        var preset = new Option<string>("--preset") { Description = "Preset", DefaultValueFactory = _ => "toy2d" }.OneOf([.. TrainingPresets.Names]);
        var batch = CommonOptions.Positive<int>("--batch", "Chains in the batch (default: toy2d 1024, image presets 16)");
        var threads = CommonOptions.Threads();
        var repeats = new Option<int>("--repeats") { Description = "Timed chains", DefaultValueFactory = _ => 3 };
        var command = new Command("langevin", "Langevin sampling throughput (examples/s) of a preset's network at level 0") { preset, batch, threads, repeats };
        command.SetAction((parse, cancellationToken) =>
        {
            if (parse.GetValue(repeats) is < 1 or > 1000) throw new CliUsageException("--repeats", "must be between 1 and 1000");
            TorchSetup.Configure("cpu", parse.GetValue(threads));
            var chosen = TrainingPresets.Get(parse.GetValue(preset)!);
            var result = LangevinThroughputBenchmark.Run(chosen, parse.GetValue(batch) ?? (chosen.Name == "toy2d" ? 1024 : 16), parse.GetValue(repeats), cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"{result.Preset}: batch {result.Batch}, K = {result.Steps}: chain [bold]{result.ChainSeconds * 1000:F0} ms[/], [bold]{result.ExamplesPerSecond:F1}[/] examples/s");
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    internal static Option<string> OutputOption() => new("--out") { Description = "Directory for the JSON result", DefaultValueFactory = _ => Path.Combine("bench", "results") };

    internal static object Machine() => new { Environment.MachineName, Environment.ProcessorCount };


    internal static async Task<string> WriteAsync(string directory, string name, object result, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{name}-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.MachineName}.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
        return path;
    }
}
