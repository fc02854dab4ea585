using System.CommandLine;
using RLDistributed.Cli.Bench;
using RLDistributed.Cli.Hosting;
using RLDistributed.Core.Presets;
using Spectre.Console;
using static TorchSharp.torch;

namespace RLDistributed.Cli.Commands;

/// <summary><c>rld bench telemetry</c>: what traces, metrics and log scopes cost a step when no OTLP endpoint is set.</summary>
public static class TelemetryBenchCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var preset = new Option<string>("--preset") { Description = "Preset (a small step is the hardest case)", DefaultValueFactory = _ => "toy2d" };
        var batch = new Option<int>("--batch") { Description = "Global batch", DefaultValueFactory = _ => 256 };
        var blocks = new Option<int>("--blocks") { Description = "Pairs of blocks (one without, one with telemetry)", DefaultValueFactory = _ => 12 };
        var steps = new Option<int>("--steps") { Description = "Timed steps per block", DefaultValueFactory = _ => 20 };
        var output = FaultBenchCommands.OutputOption();
        var command = new Command("telemetry", "Step time without telemetry against telemetry with no OTLP endpoint (interleaved blocks), and the telemetry of one step alone")
        {
            preset, batch, blocks, steps, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var name = parse.GetValue(preset)!;
            if (!TrainingPresets.Names.Contains(name)) throw new CliUsageException("--preset", $"'{name}' is not a preset; expected one of {string.Join(", ", TrainingPresets.Names)}");
            if (parse.GetValue(blocks) is < 1 or > 1000) throw new CliUsageException("--blocks", "must be between 1 and 1000");
            if (parse.GetValue(steps) is < 3 or > 10_000) throw new CliUsageException("--steps", "must be between 3 and 10000");
            if (parse.GetValue(batch) < 1) throw new CliUsageException("--batch", "must be positive");
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")))
                throw new CliUsageException("OTEL_EXPORTER_OTLP_ENDPOINT", "must be unset: this benchmark measures telemetry without an endpoint");
            set_num_threads(1);
            var result = TelemetryOverheadBenchmark.Run(TrainingPresets.Get(name), parse.GetValue(batch), parse.GetValue(blocks), parse.GetValue(steps), cancellationToken);
            var table = new Table().AddColumns("preset", "batch", "blocks × steps", "median step off", "median step on", "paired overhead", "telemetry alone / step", "share of a step");
            table.AddRow(result.Preset, result.Batch.ToString(), $"{result.Blocks} × {result.StepsPerBlock}", $"{result.MedianStepOffMs:F2} ms", $"{result.MedianStepOnMs:F2} ms",
                $"{result.MedianPairedOverhead:P2}", $"{result.IsolatedMicrosecondsPerStep:F1} µs", $"{result.IsolatedShare:P3}");
            AnsiConsole.Write(table);
            var path = await FaultBenchCommands.WriteAsync(parse.GetValue(output)!, "telemetry", new
            {
                benchmark = "telemetry-overhead",
                method = "one process, 1 torch thread, world size 1 (the reducer packs and unpacks the gradient buckets); 10 warm-up steps; then B pairs of blocks "
                    + "of S timed steps (2 settling steps dropped after each switch), the order within a pair alternating: 'off' = trainer and reducer with no "
                    + "telemetry providers, listeners or log scopes; 'on' = the worker's loop body with the providers a worker builds when OTEL_EXPORTER_OTLP_ENDPOINT "
                    + "is unset (spans, Prometheus exporter, instrumentation), the allreduce span and watchdog, metrics and Serilog log scopes; paired overhead = "
                    + "median over pairs of (median on / median off − 1); isolated = the same spans, tags, metric records and scopes of one step without the "
                    + "step, 20,000 times after a warm-up pass, µs per step",
                machine = FaultBenchCommands.Machine(), utc = DateTime.UtcNow, result,
            }, cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"results: [green]{path}[/]");
            return ExitCodes.Ok;
        });
        return command;
    }
}
