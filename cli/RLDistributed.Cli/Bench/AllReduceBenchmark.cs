using System.Diagnostics;

namespace RLDistributed.Cli.Bench;

/// <summary>
/// Measures the ring all-reduce over both transports for several world sizes and buffer sizes, next to raw
/// single-stream loopback TCP measured in the same run (method in bench/README.md).
/// </summary>
public static class AllReduceBenchmark
{
    /// <summary>Runs every combination; <paramref name="report"/> hears each result as it comes.</summary>
    public static async Task<(double RawTcpMBps, List<AllReduceResult> Results)> RunAsync(
        IReadOnlyList<string> transports, IReadOnlyList<int> workers, IReadOnlyList<int> sizesMiB, int repeats,
        Action<AllReduceResult> report, CancellationToken cancellationToken)
    {
        // Raw TCP first and last, so that the reference sees the same machine state as the ring runs around it.
        var rawSamples = new List<double> { RawTcpThroughput.Measure(256L << 20), RawTcpThroughput.Measure(256L << 20) };
        var results = new List<(string, int, long, int, double)>();
        foreach (var transport in transports)
        {
            foreach (var n in workers)
            {
                await using var ring = await LoopbackRing.StartAsync(n, transport, cancellationToken).ConfigureAwait(false);
                foreach (var mib in sizesMiB)
                {
                    var floats = (mib << 20) / sizeof(float);
                    var buffers = Enumerable.Range(0, n).Select(r => Enumerable.Repeat((float)r, floats).ToArray()).ToArray();
                    await ring.AllReduceAsync(buffers, cancellationToken).ConfigureAwait(false); // warm-up: JIT, pools, windows
                    var seconds = new List<double>();
                    for (var i = 0; i < repeats; i++)
                    {
                        var clock = Stopwatch.StartNew();
                        await ring.AllReduceAsync(buffers, cancellationToken).ConfigureAwait(false);
                        seconds.Add(clock.Elapsed.TotalSeconds);
                    }
                    results.Add((transport, n, (long)floats * sizeof(float), repeats, BenchStatistics.Median(seconds)));
                    report(Describe(results[^1], rawSamples.Average()));
                }
            }
        }
        rawSamples.Add(RawTcpThroughput.Measure(256L << 20));
        var raw = BenchStatistics.Median(rawSamples);
        return (raw, results.Select(r => Describe(r, raw)).ToList());
    }

    private static AllReduceResult Describe((string Transport, int Workers, long Bytes, int Repeats, double Seconds) r, double rawMBps)
    {
        var algbw = r.Bytes / r.Seconds / 1e6;
        var busbw = algbw * 2.0 * (r.Workers - 1) / r.Workers;
        return new AllReduceResult(r.Transport, r.Workers, r.Bytes, r.Repeats, r.Seconds, algbw, busbw, busbw / rawMBps);
    }

}
