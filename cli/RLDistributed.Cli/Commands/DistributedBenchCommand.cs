using System.CommandLine;
using System.Text.Json;
using RLDistributed.Cli.Bench;
using RLDistributed.Cli.Hosting;
using RLDistributed.Core.Presets;
using Spectre.Console;

namespace RLDistributed.Cli.Commands;

/// <summary><c>rld bench distributed</c>: step time of N one-thread workers against one one-thread process on the same per-worker batch.</summary>
public static class DistributedBenchCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var preset = new Option<string>("--preset") { Description = "Preset", DefaultValueFactory = _ => TrainingPresets.Default }.OneOf([.. TrainingPresets.Names]);
        var workers = new Option<int>("--workers") { Description = "Worker processes", DefaultValueFactory = _ => 2 };
        var batch = new Option<int>("--batch") { Description = "Per-worker batch", DefaultValueFactory = _ => 256 };
        var steps = new Option<int>("--steps") { Description = "Timed steps", DefaultValueFactory = _ => 100 };
        var output = new Option<string>("--out") { Description = "Directory for the JSON result", DefaultValueFactory = _ => Path.Combine("bench", "results") };
        var command = new Command("distributed", "Distributed overhead: N one-thread workers against one one-thread process, same per-worker batch") { preset, workers, batch, steps, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(workers) is < 2 or > 16) throw new CliUsageException("--workers", "must be between 2 and 16");
            if (parse.GetValue(batch) < 1) throw new CliUsageException("--batch", "must be positive");
            if (parse.GetValue(steps) < 10) throw new CliUsageException("--steps", "must be at least 10");
            var chosen = TrainingPresets.Get(parse.GetValue(preset)!);
            var scratch = Directory.CreateTempSubdirectory("rld-bench-").FullName;
            try
            {
                var n = parse.GetValue(workers);
                var b = parse.GetValue(batch);
                var result = await DistributedOverheadBenchmark.RunAsync(chosen, n, b, parse.GetValue(steps), scratch, cancellationToken);
                AnsiConsole.MarkupLineInterpolated($"one process, 1 thread, batch {b}: median step [bold]{result.SingleSeconds * 1000:F1} ms[/]");
                AnsiConsole.MarkupLineInterpolated($"{n} independent processes at once, same work (control): slowest median [bold]{result.ConcurrentSeconds * 1000:F1} ms[/], median of the slowest per step [bold]{result.SynchronisedSeconds * 1000:F1} ms[/]");
                AnsiConsole.MarkupLineInterpolated($"{n} workers, 1 thread each, batch {b} each: median step [bold]{result.ClusterSeconds * 1000:F1} ms[/]  (×{result.Ratio:F3} of one process; ×{result.RatioToConcurrent:F3} of the control's slowest median; ×{result.RatioToSynchronised:F3} of its slowest per step)");
                var directory = parse.GetValue(output)!;
                Directory.CreateDirectory(directory);
                var path = Path.Combine(directory, $"distributed-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.MachineName}.json");
                await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new
                {
                    benchmark = "distributed-overhead",
                    method = "median step time over the timed steps after 20 warm-up steps; single = one process, torch 1 thread, batch B; "
                        + "control = N independent 'rld bench step --threads 1 --batch B' processes started together, the slowest one's median (concurrentSeconds) "
                        + "and the median over steps of the slowest process at each step (synchronisedSeconds, the cluster's statistic without communication); "
                        + "cluster = coordinator + N worker processes over tcp on 127.0.0.1, torch 1 thread each, global batch N*B, step time = slowest rank's "
                        + "step (plan, Langevin, backward, all-reduce, update) as reported to the coordinator, median of the last 100 steps",
                    preset = chosen.Name, workers = n, perWorkerBatch = b, steps = parse.GetValue(steps),
                    machine = new { Environment.MachineName, Environment.ProcessorCount },
                    utc = DateTime.UtcNow, singleSeconds = result.SingleSeconds, concurrentSeconds = result.ConcurrentSeconds, clusterSeconds = result.ClusterSeconds,
                    synchronisedSeconds = result.SynchronisedSeconds,
                    ratio = result.Ratio, ratioToConcurrent = result.RatioToConcurrent, ratioToSynchronised = result.RatioToSynchronised,
                }, new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
                AnsiConsole.MarkupLineInterpolated($"results: [green]{path}[/]");
                return ExitCodes.Ok;
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
        });
        return command;
    }
}
