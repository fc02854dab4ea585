using System.CommandLine;
using System.Text.Json;
using RLDistributed.Cli.Bench;
using RLDistributed.Cli.Hosting;
using Spectre.Console;

namespace RLDistributed.Cli.Commands;

/// <summary>
/// <c>rld bench allreduce</c>: ring all-reduce bus bandwidth per transport, world size and buffer size, against
/// raw loopback TCP measured in the same run; writes a JSON result file with the method and machine.
/// </summary>
public static class AllReduceBenchCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var workers = new Option<int[]>("--workers") { Description = "World sizes", DefaultValueFactory = _ => [2, 3, 4], AllowMultipleArgumentsPerToken = true };
        var sizes = new Option<int[]>("--sizes") { Description = "Buffer sizes in MiB", DefaultValueFactory = _ => [4, 16, 64], AllowMultipleArgumentsPerToken = true };
        var transports = new Option<string[]>("--transports") { Description = "tcp and/or grpc", DefaultValueFactory = _ => ["tcp", "grpc"], AllowMultipleArgumentsPerToken = true };
        var repeats = CommonOptions.Positive<int>("--repeats", "Timed all-reduces per point (default 5)");
        var output = new Option<string>("--out") { Description = "Directory for the JSON result", DefaultValueFactory = _ => Path.Combine("bench", "results") };
        var command = new Command("allreduce", "Ring all-reduce busbw (nccl-tests definition) over tcp and grpc against raw loopback TCP") { workers, sizes, transports, repeats, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var worldSizes = parse.GetValue(workers)!;
            if (worldSizes.Any(n => n is < 2 or > 16)) throw new CliUsageException("--workers", "world sizes must be between 2 and 16");
            var mebibytes = parse.GetValue(sizes)!;
            if (mebibytes.Any(m => m is < 1 or > 1024)) throw new CliUsageException("--sizes", "sizes must be between 1 and 1024 MiB");
            var kinds = parse.GetValue(transports)!;
            if (kinds.Any(k => k is not ("tcp" or "grpc"))) throw new CliUsageException("--transports", "transports are tcp and grpc");

            var table = new Table().AddColumns("transport", "N", "MiB", "median ms", "algbw MB/s", "busbw MB/s", "busbw / raw TCP", "raw ring MB/s", "busbw / raw ring");
            var (raw, results) = await AllReduceBenchmark.RunAsync(kinds, worldSizes, mebibytes, parse.GetValue(repeats) ?? 5,
                r => AnsiConsole.MarkupLineInterpolated($"  {r.Transport} N={r.Workers} {r.Bytes >> 20} MiB: busbw {r.BusBandwidthMBps:F0} MB/s"), cancellationToken);
            foreach (var r in results)
                table.AddRow(r.Transport, r.Workers.ToString(), (r.Bytes >> 20).ToString(), (r.MedianSeconds * 1000).ToString("F1"),
                    r.AlgorithmBandwidthMBps.ToString("F0"), r.BusBandwidthMBps.ToString("F0"), r.BusBandwidthOfRawTcp.ToString("P0"),
                    r.RawRingMBps.ToString("F0"), r.BusBandwidthOfRawRing.ToString("P0"));
            AnsiConsole.MarkupLineInterpolated($"raw single-stream loopback TCP (same run, median of 3): [bold]{raw:F0} MB/s[/]");
            AnsiConsole.Write(table);

            var directory = parse.GetValue(output)!;
            Directory.CreateDirectory(directory);
            var path = Path.Combine(directory, $"allreduce-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.MachineName}.json");
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new
            {
                benchmark = "allreduce",
                method = "N ranks in one process on 127.0.0.1, each with its own worker endpoints and transport, as workers build them; "
                    + "one warm-up all-reduce, then the median of the timed repeats of all ranks together; algbw = bytes/time, busbw = algbw*2(N-1)/N "
                    + "(nccl-tests); raw TCP = one blocking socket stream, 1 MiB writes, 256 MiB, median of 3 runs (before and after) in the same process; "
                    + "raw ring = N blocking socket streams on loopback in a ring, every rank sending 256 MiB to its successor at once, MB/s per rank, median of 3 runs (before and after)",
                machine = new { Environment.MachineName, Environment.ProcessorCount, os = Environment.OSVersion.ToString(), runtime = Environment.Version.ToString() },
                utc = DateTime.UtcNow,
                rawTcpMBps = raw,
                results,
            }, new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"results: [green]{path}[/]");
            return ExitCodes.Ok;
        });
        return command;
    }
}
