using System.CommandLine;
using RLDistributed.Cli.Bench;
using RLDistributed.Cli.Hosting;
using RLDistributed.Core.Presets;
using Spectre.Console;

namespace RLDistributed.Cli.Commands;

/// <summary><c>rld bench overlap</c>: the same cluster run with the all-reduce after the backward and during it.</summary>
public static class OverlapBenchCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var presets = new Option<string[]>("--presets") { Description = "Presets, each run twice (overlap off, then on)", DefaultValueFactory = _ => ["fashion-mnist", "toy2d"], AllowMultipleArgumentsPerToken = true };
        var workers = new Option<int>("--workers") { Description = "Worker processes", DefaultValueFactory = _ => 2 };
        var batch = CommonOptions.Positive<int>("--batch", "Per-worker batch (default: toy2d 256, image presets 4)");
        var steps = new Option<int>("--steps") { Description = "Timed steps per run (after 50 warm-up steps for toy2d, 5 for the image presets)", DefaultValueFactory = _ => 10 };
        var repeats = new Option<int>("--repeats") { Description = "Pairs of runs per preset (off then on; the order alternates from pair to pair)", DefaultValueFactory = _ => 1 };
        var bucketKib = new Option<int>("--bucket-kib") { Description = "Gradient bucket size in KiB (the run's GradientBucketBytes)", DefaultValueFactory = _ => 64 };
        var output = FaultBenchCommands.OutputOption();
        var device = CommonOptions.Device();
        device.Description = "The workers' device: cpu, cuda (worker i on GPU i mod count) or cuda:index";
        var data = new Option<string?>("--data") { Description = "Image set directory for the image presets (default: the preset's)" };
        var command = new Command("overlap", "How much of the all-reduce the backward hides: a cluster run with overlap off and on, per preset")
        {
            presets, workers, batch, steps, repeats, bucketKib, device, data, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var names = parse.GetValue(presets)!;
            if (names.FirstOrDefault(n => !TrainingPresets.Names.Contains(n)) is { } unknown)
                throw new CliUsageException("--presets", $"'{unknown}' is not a preset; expected some of {string.Join(", ", TrainingPresets.Names)}");
            if (parse.GetValue(workers) is < 2 or > 16) throw new CliUsageException("--workers", "must be between 2 and 16");
            if (parse.GetValue(steps) is < 3 or > 10_000) throw new CliUsageException("--steps", "must be between 3 and 10000");
            if (parse.GetValue(repeats) is < 1 or > 100) throw new CliUsageException("--repeats", "must be between 1 and 100");
            var bucketBytes = parse.GetValue(bucketKib) * 1024L;
            if (bucketBytes is < Worker.Collective.RingAllReduceConstants.MinBucketBytes or > Worker.Collective.RingAllReduceConstants.MaxBucketBytes)
                throw new CliUsageException("--bucket-kib", "must be between 4 and 1048576");
            var devices = TorchSetup.WorkerDevices(parse.GetValue(device)!, parse.GetValue(workers));
            var scratch = Directory.CreateTempSubdirectory("rld-bench-overlap-").FullName;
            var results = new List<(int Pair, OverlapRunResult Result)>();
            try
            {
                foreach (var name in names)
                {
                    var preset = TrainingPresets.Get(name);
                    var perWorker = parse.GetValue(batch) ?? (name == "toy2d" ? 256 : 4);
                    for (var pair = 0; pair < parse.GetValue(repeats); pair++)
                    {
                        foreach (var overlap in pair % 2 == 0 ? new[] { false, true } : [true, false])
                        {
                            AnsiConsole.MarkupLineInterpolated($"{name}: {parse.GetValue(workers)} workers, batch {perWorker} each, overlap {(overlap ? "on" : "off")} …");
                            results.Add((pair, await OverlapBenchmark.RunAsync(preset, overlap, parse.GetValue(workers), perWorker, parse.GetValue(steps), bucketBytes,
                                Path.Combine(scratch, $"{name}-{pair}"), cancellationToken, devices, parse.GetValue(data))));
                        }
                    }
                }
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }

            var table = new Table().AddColumns("preset", "overlap", "buckets", "gradient", "step", "backward", "all-reduce", "waited after backward", "hidden (by rank)", "bucket 0 ready at", "final hash");
            foreach (var (_, r) in results)
                table.AddRow(r.Preset, r.Overlap ? "on" : "off", r.Buckets.ToString(), $"{r.GradientBytes / 1024.0:F0} KiB", $"{r.MedianStepSeconds * 1000:F1} ms",
                    $"{r.MedianBackwardSeconds * 1000:F1} ms", $"{r.MedianAllReduceSeconds * 1000:F2} ms", $"{r.MedianExposedSeconds * 1000:F2} ms", $"{r.HiddenFraction:P0} ({string.Join(" / ", r.HiddenFractionByRank.Select(f => f.ToString("P0")))})",
                    r.FirstBucketReadyAt is { } at ? at.ToString("P0") : "", r.ParameterHash[..12]);
            AnsiConsole.Write(table);
            var pairs = results.GroupBy(r => (r.Result.Preset, r.Pair)).Select(g => new
            {
                preset = g.Key.Preset,
                pair = g.Key.Pair,
                stepOnOverOff = g.Single(r => r.Result.Overlap).Result.MedianStepSeconds / g.Single(r => !r.Result.Overlap).Result.MedianStepSeconds,
                waitedOnOverOff = g.Single(r => r.Result.Overlap).Result.MedianExposedSeconds / g.Single(r => !r.Result.Overlap).Result.MedianExposedSeconds,
                bitwiseEqual = g.Select(r => r.Result.ParameterHash).Distinct().Count() == 1,
            }).ToList();
            foreach (var p in pairs)
                AnsiConsole.MarkupLineInterpolated($"{p.preset}, pair {p.pair + 1}: step with overlap / without ×{p.stepOnOverOff:F3}, wait after the backward ×{p.waitedOnOverOff:F3}, final parameters bitwise equal: {p.bitwiseEqual}");
            var path = await FaultBenchCommands.WriteAsync(parse.GetValue(output)!, "overlap", new
            {
                benchmark = "allreduce-overlap",
                method = "per preset and pair two runs of a local cluster (coordinator + N worker processes over tcp on 127.0.0.1, torch 1 thread each, global batch N*B, "
                    + "the run's GradientBucketBytes as given), Rld:Worker:AllReduceOverlap=false and true (off first in even pairs, on first in odd ones), 50 (toy2d) or 5 (image presets) warm-up steps then S timed steps; from each worker's "
                    + "debug step lines: step = per step the slowest rank's step time, median over steps; backward = the loss's backward pass; all-reduce = the ring's "
                    + "time on all buckets of the step (with overlap: from each bucket's start to its end, summed); waited = time from the end of the backward to the "
                    + "summed gradients; medians over ranks and timed steps; hidden = sum over ranks and steps of all-reduce time before the backward returned / sum of "
                    + "all-reduce time; bucket 0 ready at = 1 - (time from bucket 0 ready to the end of the backward) / backward, median; all ranks and "
                    + "the coordinator share the machine's cores",
                machine = FaultBenchCommands.Machine(), utc = DateTime.UtcNow, workers = parse.GetValue(workers), devices = devices ?? ["cpu"], steps = parse.GetValue(steps), bucketBytes,
                results = results.Select(r => new { pair = r.Pair, result = r.Result }), pairs,
            }, cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"results: [green]{path}[/]");
            return ExitCodes.Ok;
        });
        return command;
    }
}
