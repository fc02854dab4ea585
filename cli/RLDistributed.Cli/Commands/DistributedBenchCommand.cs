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
        var warmup = new Option<int?>("--warmup") { Description = "Untimed steps before the timed ones, for all three runs (default: 50 for toy2d, 5 for image presets)" };
        var rounds = new Option<int>("--rounds") { Description = "Rounds of the control and the cluster, back to back", DefaultValueFactory = _ => 3 };
        var output = new Option<string>("--out") { Description = "Directory for the JSON result", DefaultValueFactory = _ => Path.Combine("bench", "results") };
        var command = new Command("distributed", "Distributed overhead: N one-thread workers against one one-thread process, same per-worker batch") { preset, workers, batch, steps, warmup, rounds, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(workers) is < 2 or > 16) throw new CliUsageException("--workers", "must be between 2 and 16");
            if (parse.GetValue(batch) < 1) throw new CliUsageException("--batch", "must be positive");
            if (parse.GetValue(steps) < 10) throw new CliUsageException("--steps", "must be at least 10");
            if (parse.GetValue(rounds) is < 1 or > 100) throw new CliUsageException("--rounds", "must be between 1 and 100");
            if (parse.GetValue(warmup) is < 0 or > 10_000) throw new CliUsageException("--warmup", "must be between 0 and 10000");
            var chosen = TrainingPresets.Get(parse.GetValue(preset)!);
            var untimed = parse.GetValue(warmup) ?? ClusterWarmup.Steps(chosen);
            var scratch = Directory.CreateTempSubdirectory("rld-bench-").FullName;
            try
            {
                var n = parse.GetValue(workers);
                var b = parse.GetValue(batch);
                var result = await DistributedOverheadBenchmark.RunAsync(chosen, n, b, parse.GetValue(steps), parse.GetValue(rounds), scratch, cancellationToken, untimed);
                AnsiConsole.MarkupLineInterpolated($"one process, 1 thread, batch {b}: median step [bold]{result.SingleSeconds * 1000:F1} ms[/]");
                foreach (var (round, i) in result.Rounds.Select((r, i) => (r, i + 1)))
                    AnsiConsole.MarkupLineInterpolated($"round {i}: control {round.SynchronisedSeconds * 1000:F1} ms (slowest per step), cluster {round.ClusterSeconds * 1000:F1} ms: ×{round.RatioToSynchronised:F3}");
                AnsiConsole.MarkupLineInterpolated($"medians over rounds: {n} independent processes at once, same work (control): slowest median [bold]{result.ConcurrentSeconds * 1000:F1} ms[/], median of the slowest per step [bold]{result.SynchronisedSeconds * 1000:F1} ms[/]");
                AnsiConsole.MarkupLineInterpolated($"{n} workers, 1 thread each, batch {b} each: median step [bold]{result.ClusterSeconds * 1000:F1} ms[/]  (×{result.Ratio:F3} of one process; ×{result.RatioToConcurrent:F3} of the control's slowest median and ×{result.RatioToSynchronised:F3} of its slowest per step, medians of the rounds' ratios)");
                var directory = parse.GetValue(output)!;
                Directory.CreateDirectory(directory);
                var path = Path.Combine(directory, $"distributed-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.MachineName}.json");
                await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new
                {
                    benchmark = "distributed-overhead",
                    method = "median step time over the timed steps after the warm-up steps (warmupSteps; by default 50 for toy2d, 5 for image presets); single = one process, torch 1 thread, batch B; "
                        + "control = N independent 'rld bench step --threads 1 --batch B' processes started together, the slowest one's median (concurrentSeconds) "
                        + "and the median over steps of the slowest process at each step (synchronisedSeconds, the cluster's statistic without communication); "
                        + "cluster = coordinator + N worker processes over tcp on 127.0.0.1, torch 1 thread each, global batch N*B, step time = slowest rank's "
                        + "step (plan, Langevin, backward, all-reduce, update) from the workers' debug step lines, median over the timed steps; "
                        + "control and cluster run in rounds back to back (which goes first alternates); the ratios are medians over rounds of each round's ratio",
                    preset = chosen.Name, workers = n, perWorkerBatch = b, warmupSteps = untimed, steps = parse.GetValue(steps), rounds = result.Rounds,
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
